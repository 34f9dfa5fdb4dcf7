using Microsoft.Extensions.Logging;
using Orleans.Segments.Domain.Events;

namespace Orleans.Segments.Push;

/// <summary>
/// The sender of a platform without credentials: it sends nothing and logs that it would have, without the token
/// or the content. It reports <see cref="Delivered"/> with an id starting <c>log:</c>, so the embedded server runs end to end.
/// </summary>
public sealed partial class LogSender(string appId, TimeProvider time, ILogger<LogSender> logger) : IPushSender
{
    public Task<PushOutcome> SendAsync(PushMessage message, DeviceToken device, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        string id = "log:" + Guid.CreateVersion7(time.GetUtcNow()).ToString("N");
        LogSend(appId, device.Platform, id);
        return Task.FromResult<PushOutcome>(new Delivered(id, 1));
    }

    [LoggerMessage(EventId = 420, Level = LogLevel.Information, Message = "Log sender: a notification to a {Platform} device of app {AppId} was not sent ({NotificationId}); configure Segments:Apps:<appId>:Push to send")]
    private partial void LogSend(string appId, PushPlatform platform, string notificationId);
}
