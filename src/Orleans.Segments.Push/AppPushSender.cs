using Orleans.Segments.Domain.Events;

namespace Orleans.Segments.Push;

/// <summary>One app's sender: routes each device to the APNs or FCM sender of the app by the token's platform.</summary>
internal sealed class AppPushSender(IPushSender apns, IPushSender fcm) : IPushSender
{
    public IPushSender Apns => apns;

    public IPushSender Fcm => fcm;

    public Task<PushOutcome> SendAsync(PushMessage message, DeviceToken device, CancellationToken cancellationToken = default) =>
        device.Platform switch
        {
            PushPlatform.Ios => apns.SendAsync(message, device, cancellationToken),
            PushPlatform.Android => fcm.SendAsync(message, device, cancellationToken),
            _ => Task.FromResult<PushOutcome>(new Rejected($"unknown push platform {device.Platform}")),
        };
}
