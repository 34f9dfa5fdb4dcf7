using System.Diagnostics.Metrics;

namespace Orleans.Segments.Hosting;

/// <summary>
/// The engine's own instruments (meter <c>Orleans.Segments</c>); the server exports them, with Orleans' and
/// ASP.NET Core's, on <c>/metrics</c>. Tags are app ids and fixed words only: never user ids or traits.
/// </summary>
public sealed class SegmentsMetrics
{
    public const string MeterName = "Orleans.Segments";

    private readonly Counter<long> eventsIngested;
    private readonly Counter<long> segmentTransitions;
    private readonly Counter<long> lifecycleTransitions;
    private readonly Counter<long> wakeups;
    private readonly Histogram<double> ingestDuration;
    private readonly Histogram<double> persistDuration;
    private readonly Counter<long> sends;
    private readonly Counter<long> capsHit;
    private readonly Counter<long> broadcastOffers;
    private readonly Counter<long> malformedRequests;
    private readonly Counter<long> unreadableStates;
    private readonly Counter<long> journeySteps;
    private readonly Counter<long> webhookEvents;
    private readonly Histogram<double> webhookAttempts;

    public SegmentsMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        eventsIngested = meter.CreateCounter<long>("segments.events.ingested", "{event}", "Events received, by app and outcome (applied, duplicate).");
        segmentTransitions = meter.CreateCounter<long>("segments.segment.transitions", "{transition}", "Users entering or leaving segments and geofences, by app, kind and change.");
        lifecycleTransitions = meter.CreateCounter<long>("segments.lifecycle.transitions", "{transition}", "Lifecycle stage changes, by app and new stage.");
        wakeups = meter.CreateCounter<long>("segments.wakeups", "{user}", "Users woken by the time-driven wake-up service, by outcome.");
        ingestDuration = meter.CreateHistogram<double>("segments.ingest.duration", "s", "Time from a parsed request to every event in it being durable, by app and outcome.");
        sends = meter.CreateCounter<long>("segments.sends", "{message}", "Campaign and transactional message decisions, by app and outcome (delivered, failed, deferred, provider_retry, suppressed_<reason>).");
        capsHit = meter.CreateCounter<long>("segments.caps.hit", "{message}", "Messages suppressed by a frequency cap, by app.");
        broadcastOffers = meter.CreateCounter<long>("segments.broadcast.offers", "{user}", "Users a broadcast has handed its message to, by app.");
        malformedRequests = meter.CreateCounter<long>("segments.requests.malformed", "{request}",
            "Requests refused with a 4xx because their body or framing could not be read, by reason (too_large, unsupported_encoding, corrupt_encoding, unreadable, malformed_json); counted instead of logged.");
        unreadableStates = meter.CreateCounter<long>("segments.storage.unreadable_states", "{record}",
            "Stored grain states that could not be read (corrupt, or written by a newer version), by state type; each fails its grain's calls, so alert on any.");
        journeySteps = meter.CreateCounter<long>("segments.journey.steps", "{step}", "Users entering journeys (kind entered) and moving from one journey step to the next (kind moved), by app.");
        persistDuration = meter.CreateHistogram<double>("segments.profile.persist.duration", "s", "Time to write one user profile to grain storage, by outcome.");
        webhookEvents = meter.CreateCounter<long>("segments.webhook.events", "{event}",
            "Events streamed to webhooks, by app and outcome (delivered, dead_lettered; dropped when a backlog or a user's outbox is full: alert on any).");
        webhookAttempts = meter.CreateHistogram<double>("segments.webhook.attempt.duration", "s", "Time a webhook receiver took to answer a batch, by app and outcome (delivered, failed).");
    }

    public void WebhookEvents(string appId, string outcome, long count) => webhookEvents.Add(count, new("app", appId), new("outcome", outcome));

    public void WebhookAttempt(string appId, string outcome, TimeSpan elapsed) =>
        webhookAttempts.Record(elapsed.TotalSeconds, new("app", appId), new("outcome", outcome));

    public void EventsIngested(string appId, int applied, int duplicates)
    {
        if (applied > 0) eventsIngested.Add(applied, new("app", appId), new("outcome", "applied"));
        if (duplicates > 0) eventsIngested.Add(duplicates, new("app", appId), new("outcome", "duplicate"));
    }

    public void SegmentTransition(string appId, string kind, bool entered) =>
        segmentTransitions.Add(1, new("app", appId), new("kind", kind), new("change", entered ? "entered" : "exited"));

    public void Send(string appId, string outcome)
    {
        sends.Add(1, new("app", appId), new("outcome", outcome));
        if (outcome == "suppressed_capped") capsHit.Add(1, new KeyValuePair<string, object?>("app", appId));
    }

    public void JourneyEntered(string appId) => journeySteps.Add(1, new("app", appId), new("kind", "entered"));

    public void JourneyStep(string appId) => journeySteps.Add(1, new("app", appId), new("kind", "moved"));

    public void BroadcastOffers(string appId, int count) => broadcastOffers.Add(count, new KeyValuePair<string, object?>("app", appId));

    public void LifecycleTransition(string appId, string stage) => lifecycleTransitions.Add(1, new("app", appId), new("stage", stage));

    public void Wakeups(int count, bool succeeded) => wakeups.Add(count, new KeyValuePair<string, object?>("outcome", succeeded ? "woken" : "failed"));

    public void UnreadableState(string stateType) => unreadableStates.Add(1, new KeyValuePair<string, object?>("state", stateType));

    public void MalformedRequest(string reason) => malformedRequests.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void IngestDuration(string appId, TimeSpan elapsed, bool succeeded) =>
        ingestDuration.Record(elapsed.TotalSeconds, new("app", appId), new("outcome", succeeded ? "stored" : "failed"));

    public void PersistDuration(TimeSpan elapsed, bool succeeded) =>
        persistDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("outcome", succeeded ? "stored" : "failed"));
}
