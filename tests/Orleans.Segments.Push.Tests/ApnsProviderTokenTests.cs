using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Segments.Domain.Events;
using Orleans.Segments.Push.Hosting;

namespace Orleans.Segments.Push.Tests;

/// <summary>Apple's rule: one provider token per team, renewed no more often than every 20 minutes and no less often than every 60.</summary>
public sealed class ApnsProviderTokenTests(ApnsFixture fixture) : IClassFixture<ApnsFixture>
{
    private const int Concurrent = 200;

    [Fact]
    public async Task ConcurrentSendsShareOneTokenUntilTheRefreshIntervalThenExactlyOneNewOne()
    {
        using var sender = fixture.NewSender(o => o.TokenRefreshInterval = TimeSpan.FromMinutes(50));

        var first = await SendConcurrently(sender);
        fixture.Time.Advance(TimeSpan.FromMinutes(10));
        var tenMinutesLater = await SendConcurrently(sender);
        fixture.Time.Advance(TimeSpan.FromMinutes(40));
        var atTheRefreshAge = await SendConcurrently(sender);
        fixture.Time.Advance(TimeSpan.FromMinutes(19));
        var nineteenMinutesAfterThat = await SendConcurrently(sender);

        Assert.Equal(first, tenMinutesLater);
        Assert.NotEqual(first, atTheRefreshAge);
        Assert.Equal(atTheRefreshAge, nineteenMinutesAfterThat);
        Assert.Equal(2, sender.ProviderToken.MintedCount);
    }

    [Fact]
    public async Task TokenIsRenewedBeforeApnsWouldCallItExpired()
    {
        using var sender = fixture.NewSender(o => o.TokenRefreshInterval = TimeSpan.FromMinutes(60));
        await SendConcurrently(sender);

        for (int step = 0; step < 6; step++)
        {
            fixture.Time.Advance(TimeSpan.FromMinutes(25));
            await SendConcurrently(sender);
        }

        Assert.Equal(3, sender.ProviderToken.MintedCount);
    }

    [Fact]
    public async Task AppsOfOneTeamAndKeyShareOneToken()
    {
        var settings = new Dictionary<string, string?>();
        foreach (string app in new[] { "shop", "news" })
        {
            settings[$"Segments:Apps:{app}:Push:Apns:KeyId"] = Credentials.KeyId;
            settings[$"Segments:Apps:{app}:Push:Apns:TeamId"] = Credentials.TeamId;
            settings[$"Segments:Apps:{app}:Push:Apns:BundleId"] = Credentials.BundleId;
            settings[$"Segments:Apps:{app}:Push:Apns:PrivateKey"] = fixture.P8;
            settings[$"Segments:Apps:{app}:Push:Apns:BaseAddress"] = fixture.Apns.BaseAddress.ToString();
        }

        var services = new ServiceCollection().AddLogging().AddSingleton<TimeProvider>(fixture.Time)
            .AddSegmentsPush(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.Configure<PushTransportOptions>(o => o.ConfigureHandler = fixture.Transport.ConfigureHandler);
        await using var provider = services.BuildServiceProvider();
        var senders = provider.GetRequiredService<PushSenders>();
        var devices = Enumerable.Range(0, 20).Select(_ => new DeviceToken(Credentials.NewApnsToken(), PushPlatform.Ios)).ToArray();

        await Task.WhenAll(devices.Select((d, i) => senders.For(i % 2 == 0 ? "shop" : "news").SendAsync(Messages.Alert, d)));

        var sent = devices.Select(d => d.Token).ToHashSet();
        Assert.Single(fixture.Apns.Received.Where(r => sent.Contains(r.DeviceToken)).Select(r => r.ProviderToken).Distinct());
    }

    /// <summary>Sends to <see cref="Concurrent"/> fresh devices at once; asserts all were delivered and returns the one token they carried.</summary>
    private async Task<string> SendConcurrently(Apns.ApnsSender sender)
    {
        var devices = Enumerable.Range(0, Concurrent).Select(_ => new DeviceToken(Credentials.NewApnsToken(), PushPlatform.Ios)).ToArray();
        var outcomes = await Task.WhenAll(devices.Select(d => sender.SendAsync(Messages.Alert, d)));
        Assert.All(outcomes, o => Assert.IsType<Delivered>(o));
        var tokens = devices.ToHashSet(new TokenComparer());
        return Assert.Single(fixture.Apns.Received.Where(r => tokens.Contains(new DeviceToken(r.DeviceToken, PushPlatform.Ios))).Select(r => r.ProviderToken).Distinct());
    }

    private sealed class TokenComparer : IEqualityComparer<DeviceToken>
    {
        public bool Equals(DeviceToken? x, DeviceToken? y) => x?.Token == y?.Token;

        public int GetHashCode(DeviceToken obj) => obj.Token.GetHashCode(StringComparison.Ordinal);
    }
}
