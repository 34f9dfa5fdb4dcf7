using Microsoft.Extensions.Logging;
using Orleans.Segments.Domain.Events;
using Orleans.Segments.Users;

namespace Orleans.Segments.Push.Delivery;

/// <summary>
/// Sends a notification to every live device of one user and keeps the device-token lifecycle: a token the
/// provider calls dead is marked so in the user's grain before the report is returned, so no later send picks it
/// (invariant 5). Cap checks and the at-most-once outbox belong to the caller (the campaign), not here.
/// </summary>
public sealed partial class PushDelivery(PushSenders senders, IGrainFactory grains, TimeProvider time, ILogger<PushDelivery> logger)
{
    public async Task<UserDeliveryReport> SendToUser(UserKey user, PushMessage message, CancellationToken cancellationToken = default)
    {
        var grain = grains.User(user);
        var devices = await grain.GetLiveDevices();
        var sender = senders.For(user.AppId);
        var outcomes = await Task.WhenAll(devices.Select(device => SendOne(user, grain, sender, message, device, cancellationToken)));
        return new UserDeliveryReport(outcomes);
    }

    private async Task<DeviceOutcome> SendOne(UserKey user, IUserGrain grain, IPushSender sender, PushMessage message, DeviceToken device, CancellationToken cancellationToken)
    {
        var outcome = await sender.SendAsync(message, device, cancellationToken);
        string deviceId = DeviceToken.Fingerprint(device.Token);
        if (outcome is PermanentFailure { TokenDead: true } dead)
        {
            var at = dead.DeadSince ?? time.GetUtcNow().UtcDateTime;
            // Why: awaited, not fire-and-forget: a report that says "token dead" means the grain already knows.
            await grain.InvalidateDevice(device.Token, at);
            LogInvalidated(user.AppId, deviceId, dead.Reason);
        }

        return new DeviceOutcome(deviceId, device.Platform, outcome);
    }

    [LoggerMessage(EventId = 440, Level = LogLevel.Information, Message = "Device {DeviceId} of a user of {AppId} is no longer sent to: {Reason}")]
    private partial void LogInvalidated(string appId, string deviceId, string reason);
}
