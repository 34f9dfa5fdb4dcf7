using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Segments.Push.Fcm;
using Orleans.Segments.Push.Hosting;
using Orleans.Segments.Push.StandIns;

namespace Orleans.Segments.Push.Tests;

/// <summary>One FCM stand-in (send route and OAuth token endpoint) per test class, on fake time.</summary>
public sealed class FcmFixture : IAsyncLifetime
{
    private readonly RSA accountKey = RSA.Create(2048);

    public SignallingTimeProvider Time { get; } = new(Credentials.Start);

    public X509Certificate2 Certificate { get; } = TestCertificate.Create();

    public FcmStandIn Fcm { get; private set; } = null!;

    public string ServiceAccountJson { get; private set; } = null!;

    public PushTransportOptions Transport => new() { ConfigureHandler = handler => TestCertificate.Trust(handler, Certificate) };

    public async Task InitializeAsync()
    {
        Fcm = await FcmStandIn.StartAsync(Certificate, accountKey, Credentials.ClientEmail, Credentials.ProjectId, Time);
        ServiceAccountJson = TestKeys.ServiceAccountJson(accountKey, Fcm.TokenUri, Credentials.ProjectId, Credentials.ClientEmail);
    }

    public async Task DisposeAsync()
    {
        await Fcm.DisposeAsync();
        Certificate.Dispose();
        accountKey.Dispose();
    }

    internal FcmSender NewSender(Action<FcmOptions>? configure = null, RetryOptions? retry = null)
    {
        var options = new FcmOptions { ProjectId = Credentials.ProjectId, ServiceAccountJson = ServiceAccountJson, BaseAddress = Fcm.BaseAddress };
        configure?.Invoke(options);
        return new FcmSender("shop", options, retry ?? new RetryOptions(), Transport, Time, NullLogger<FcmSender>.Instance);
    }
}
