using Orleans.Segments.Domain.Events;

namespace Orleans.Segments.Push;

/// <summary>Hands one notification to one device's push service and reports what became of it.</summary>
public interface IPushSender
{
    /// <summary>
    /// Sends <paramref name="message"/> to <paramref name="device"/>, retrying transient failures as configured.
    /// Never throws for a provider's answer, a malformed token or an oversize payload: those are outcomes.
    /// Throws <see cref="OperationCanceledException"/> only when <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    Task<PushOutcome> SendAsync(PushMessage message, DeviceToken device, CancellationToken cancellationToken = default);
}
