using Microsoft.Extensions.Logging;
using Orleans.Segments.Domain.Events;

namespace Orleans.Segments.Push;

/// <summary>
/// The sender of a platform without credentials: it sends nothing and logs that it would have, without the token
/// or the content. It reports <see cref="Delivered"/> with an id starting <c>log:</c>, so the embedded server runs end to end.
/// The first notification is logged alone; later ones are summed up at most once a minute, so a busy demo's log
/// stays readable.
/// </summary>
public sealed partial class LogSender(string appId, TimeProvider time, ILogger<LogSender> logger) : IPushSender
{
    /// <summary>How often at most a summary line is written.</summary>
    public static readonly TimeSpan SummaryInterval = TimeSpan.FromMinutes(1);

    private readonly Lock gate = new();
    private DateTimeOffset? windowStart;
    private long ios, android;

    public Task<PushOutcome> SendAsync(PushMessage message, DeviceToken device, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var now = time.GetUtcNow();
        string id = "log:" + Guid.CreateVersion7(now).ToString("N");
        long summaryIos = 0, summaryAndroid = 0;
        TimeSpan over = default;
        bool first = false;
        lock (gate)
        {
            if (windowStart is null)
            {
                first = true;
                windowStart = now;
            }
            else
            {
                if (device.Platform == PushPlatform.Android) android++;
                else ios++;
                if (now - windowStart.Value >= SummaryInterval)
                {
                    (summaryIos, summaryAndroid, over) = (ios, android, now - windowStart.Value);
                    (ios, android, windowStart) = (0, 0, now);
                }
            }
        }

        if (first) LogFirst(appId, device.Platform, id);
        else if (summaryIos + summaryAndroid > 0) LogSummary(summaryIos + summaryAndroid, appId, summaryIos, summaryAndroid, (long)over.TotalSeconds);
        return Task.FromResult<PushOutcome>(new Delivered(id, 1));
    }

    [LoggerMessage(EventId = 420, Level = LogLevel.Information, Message = "Log sender: a notification to a {Platform} device of app {AppId} was not sent ({NotificationId}); configure Segments:Apps:<appId>:Push to send. Later ones are summed up once a minute")]
    private partial void LogFirst(string appId, PushPlatform platform, string notificationId);

    [LoggerMessage(EventId = 421, Level = LogLevel.Information, Message = "Log sender: {Count} more notifications of app {AppId} were not sent (iOS {Ios}, Android {Android}) in the last {Seconds} s; configure Segments:Apps:<appId>:Push to send")]
    private partial void LogSummary(long count, string appId, long ios, long android, long seconds);
}
