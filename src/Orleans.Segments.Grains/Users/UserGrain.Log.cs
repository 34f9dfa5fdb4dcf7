using Microsoft.Extensions.Logging;

namespace Orleans.Segments.Users;

// Why: user ids and traits are personal data and are never logged; the grain's identity appears only as its app.
public sealed partial class UserGrain
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Debug, Message = "Lifecycle stage of a user of {AppId} changed from {From} to {To} at {At:o}")]
    private partial void LogStageChanged(string appId, string from, string to, DateTime at);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "A user of {AppId} was erased")]
    private partial void LogErased(string appId);

    [LoggerMessage(EventId = 102, Level = LogLevel.Debug, Message = "An anonymous profile of {AppId} with {Events} events was merged into its known user")]
    private partial void LogMerged(string appId, long events);

    [LoggerMessage(EventId = 104, Level = LogLevel.Warning, Message = "A user profile could not be persisted ({Reason}); the change was rolled back and not acknowledged")]
    private partial void LogPersistFailed(string reason, Exception exception);

    [LoggerMessage(EventId = 107, Level = LogLevel.Warning, Message = "A user of {AppId} was written by another activation first; re-read and applied again")]
    private partial void LogConflict(string appId);

    [LoggerMessage(EventId = 105, Level = LogLevel.Warning, Message = "Membership index updates for a user of {AppId} failed; they stay in the outbox and are retried")]
    private partial void LogIndexDeliveryFailed(string appId, Exception exception);

    [LoggerMessage(EventId = 106, Level = LogLevel.Debug, Message = "Publishing segment transitions failed; subscribers miss them (the index and history are unaffected)")]
    private partial void LogPublishFailed(Exception exception);

    [LoggerMessage(EventId = 103, Level = LogLevel.Error, Message = "No wake-up bucket accepted a booking for {DueAt:o}; the user will be re-evaluated at its next event")]
    private partial void LogWakeupNotBooked(DateTime dueAt);

    [LoggerMessage(EventId = 108, Level = LogLevel.Warning, Message = "Campaign statistics from a user of {AppId} could not be handed over; they stay in the outbox and are retried")]
    private partial void LogReportDeliveryFailed(string appId, Exception exception);

    [LoggerMessage(EventId = 120, Level = LogLevel.Information, Message = "A push device {DeviceId} of a user of {AppId} was marked dead as of {At:o}")]
    private partial void LogDeviceInvalidated(string appId, string deviceId, DateTime at);

    [LoggerMessage(EventId = 140, Level = LogLevel.Warning, Message = "A user of {AppId} could not hand events to webhook {WebhookId}'s queue; they stay in the user's outbox for the next call")]
    private partial void LogExportHandOverFailed(string appId, string webhookId, Exception exception);
}
