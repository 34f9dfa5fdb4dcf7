using Microsoft.Extensions.Logging;

namespace Orleans.Segments.Push.Apns;

// Why: tokens and message content are personal data; only a token's fingerprint and the provider's reason are logged.
internal sealed partial class ApnsSender
{
    [LoggerMessage(EventId = 400, Level = LogLevel.Information, Message = "APNs says device {DeviceId} of app {AppId} is dead: {Reason}")]
    private partial void LogTokenDead(string appId, string deviceId, string reason);

    [LoggerMessage(EventId = 401, Level = LogLevel.Warning, Message = "APNs did not take a notification to device {DeviceId} of app {AppId}: {Outcome} {Reason}")]
    private partial void LogNotDelivered(string appId, string deviceId, string outcome, string reason);
}
