using Microsoft.Extensions.Logging;

namespace Orleans.Segments.Push.Fcm;

// Why: tokens and message content are personal data; only a token's fingerprint and the provider's reason are logged.
internal sealed partial class FcmSender
{
    [LoggerMessage(EventId = 410, Level = LogLevel.Information, Message = "FCM says device {DeviceId} of app {AppId} is dead: {Reason}")]
    private partial void LogTokenDead(string appId, string deviceId, string reason);

    [LoggerMessage(EventId = 411, Level = LogLevel.Warning, Message = "FCM did not take a notification to device {DeviceId} of app {AppId}: {Outcome} {Reason}")]
    private partial void LogNotDelivered(string appId, string deviceId, string outcome, string reason);
}
