using Orleans.Segments.Domain.Events;
using Orleans.Segments.Push.StandIns;

namespace Orleans.Segments.Push.Tests;

public sealed class ApnsConnectionTests(ApnsFixture fixture) : IClassFixture<ApnsFixture>
{
    // Why 16 streams: Kestrel frees a stream slot a little after the client sees the response, refuses the
    // overshoot and, past a small allowance, closes the connection (its rapid-reset defence); with a tighter
    // limit a loaded machine trips that defence, which tests Kestrel rather than our pool.
    [Fact]
    public async Task OpensMoreConnectionsWhenTheServerLimitsConcurrentStreams()
    {
        await using var tight = await ApnsStandIn.StartAsync(fixture.Certificate, fixture.TeamKey, Credentials.KeyId, Credentials.TeamId,
            Credentials.BundleId, fixture.Time, maxConcurrentStreams: 16);
        using var sender = fixture.NewSender(server: tight);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 64)
            .Select(_ => sender.SendAsync(Messages.Alert, new DeviceToken(Credentials.NewApnsToken(), PushPlatform.Ios))));

        Assert.All(outcomes, o => Assert.IsType<Delivered>(o));
        Assert.True(tight.Connections > 1, $"64 concurrent sends over a 16-stream limit used {tight.Connections} connection(s)");
    }

    [Fact]
    public async Task SequentialSendsReuseOneConnection()
    {
        using var sender = fixture.NewSender();
        int before = fixture.Apns.Connections;

        for (int i = 0; i < 20; i++) await sender.SendAsync(Messages.Alert, new DeviceToken(Credentials.NewApnsToken(), PushPlatform.Ios));

        Assert.Equal(before + 1, fixture.Apns.Connections);
    }
}
