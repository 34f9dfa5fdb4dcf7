using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Segments.Push.Apns;
using Orleans.Segments.Push.Hosting;
using Orleans.Segments.Push.StandIns;

namespace Orleans.Segments.Push.Tests;

/// <summary>One APNs stand-in per test class, on fake time; each test makes its own sender and uses fresh device tokens.</summary>
public sealed class ApnsFixture : IAsyncLifetime
{
    private readonly (ECDsa Key, string P8) teamKey = TestKeys.NewApnsKey();
    private readonly System.Collections.Concurrent.ConcurrentBag<ApnsProviderToken> tokens = [];

    public SignallingTimeProvider Time { get; } = new(Credentials.Start);

    public X509Certificate2 Certificate { get; } = TestCertificate.Create();

    public ApnsStandIn Apns { get; private set; } = null!;

    public string P8 => teamKey.P8;

    public ECDsa TeamKey => teamKey.Key;

    /// <summary>Trusts the stand-ins' certificate, the way only tests may.</summary>
    public PushTransportOptions Transport => new() { ConfigureHandler = handler => TestCertificate.Trust(handler, Certificate) };

    public async Task InitializeAsync() => Apns = await ApnsStandIn.StartAsync(Certificate, teamKey.Key, Credentials.KeyId, Credentials.TeamId, Credentials.BundleId, Time);

    public async Task DisposeAsync()
    {
        await Apns.DisposeAsync();
        foreach (var token in tokens) token.Dispose();
        Certificate.Dispose();
        teamKey.Key.Dispose();
    }

    internal ApnsSender NewSender(Action<ApnsOptions>? configure = null, RetryOptions? retry = null, ApnsStandIn? server = null)
    {
        var options = new ApnsOptions
        {
            KeyId = Credentials.KeyId,
            TeamId = Credentials.TeamId,
            BundleId = Credentials.BundleId,
            PrivateKey = P8,
            BaseAddress = (server ?? Apns).BaseAddress,
        };
        configure?.Invoke(options);
        var token = new ApnsProviderToken(ApnsKey.Load(options), options.KeyId!, options.TeamId!, options.TokenRefreshInterval, Time);
        tokens.Add(token);
        return new ApnsSender("shop", options, retry ?? new RetryOptions(), token, PushHttp.CreateHandler(Transport), Time, NullLogger<ApnsSender>.Instance);
    }
}
