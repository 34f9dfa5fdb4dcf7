using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using Orleans.Segments.Domain.Events;

namespace Orleans.Segments.Push.Tests;

/// <summary>The log sender writes its first notification alone and sums up the rest at most once a minute.</summary>
public sealed class LogSenderTests
{
    [Fact]
    public async Task FirstNotificationIsLoggedThenTheRestAreSummedUpOnceAMinute()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 9, 0, 0, TimeSpan.Zero));
        var logger = new FakeLogger<LogSender>();
        var sender = new LogSender("demo", time, logger);
        var ios = new DeviceToken(new string('a', 64), PushPlatform.Ios);
        var android = new DeviceToken("android-token", PushPlatform.Android);

        Assert.IsType<Delivered>(await sender.SendAsync(Messages.Alert, ios));
        Assert.Equal(1, logger.Collector.Count);
        Assert.Contains("was not sent", logger.LatestRecord.Message);

        for (int i = 0; i < 150; i++)
        {
            var outcome = await sender.SendAsync(Messages.Alert, i % 3 == 0 ? android : ios);
            Assert.StartsWith("log:", Assert.IsType<Delivered>(outcome).ProviderId);
            time.Advance(TimeSpan.FromMilliseconds(100));
        }

        Assert.Equal(1, logger.Collector.Count);

        time.Advance(TimeSpan.FromMinutes(1));
        await sender.SendAsync(Messages.Alert, ios);

        Assert.Equal(2, logger.Collector.Count);
        var summary = logger.LatestRecord;
        Assert.Equal(421, summary.Id.Id);
        Assert.Contains("151 more notifications of app demo were not sent (iOS 101, Android 50)", summary.Message);
        Assert.DoesNotContain(new string('a', 64), string.Join('\n', logger.Collector.GetSnapshot().Select(r => r.Message)));
    }
}
