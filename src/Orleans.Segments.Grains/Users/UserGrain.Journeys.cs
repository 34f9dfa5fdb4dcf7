using Orleans.Segments.Campaigns;
using Orleans.Segments.Domain.Campaigns;
using Orleans.Segments.Domain.Events;
using Orleans.Segments.Domain.Journeys;
using Orleans.Segments.Domain.Profile;
using Orleans.Segments.Journeys;

namespace Orleans.Segments.Users;

/// <summary>
/// Journeys, walked in the user's own grain: every change of the user (an event, a segment or stage change, a
/// wake-up at the end of a wait) advances the runs in flight and may start new ones. A run's new position, its
/// messages (as outbox entries) and its counts are persisted in the same write, so a step happens once: a crash
/// before the write redoes it, one after it never does. Messages then go through the same decision as every send.
/// </summary>
public sealed partial class UserGrain
{
    /// <summary>How long a user of a paused journey waits before their run is looked at again.</summary>
    private static readonly TimeSpan PausedJourneyRecheck = TimeSpan.FromMinutes(15);

    /// <summary>How many ended runs are kept besides the latest of each journey (which re-entry needs).</summary>
    private const int EndedRunsKept = 20;

    async Task<string?> IUserGrain.EnterJourney(string journeyId, Dictionary<string, string>? properties)
    {
        var state = profile.State;
        var key = Key;
        if (!state.Exists || state.MergedInto is not null || key.User.Anonymous) return "unknown_user";
        var journeys = await journeyCache.GetAsync(key.AppId);
        var journey = journeys.Find(journeyId) ?? (await journeyCache.RefreshAsync(key.AppId)).Find(journeyId);
        if (journey is not { Status: JourneyStatus.Live }) return "journey_not_live";

        var now = Now;
        var due = new JourneyTurn();
        string? refused = await TryEnter(journey, now, properties, due);
        if (refused is not null) return refused;
        PruneRuns(state);
        await BookWakeup(now, await Environment());
        await DeliverReports();
        await Persist();
        if (due.MessageDue) _ = this.AsReference<IUserGrain>().DeliverPending();
        return null;
    }

    Task<JourneyPosition[]> IUserGrain.GetJourneys() =>
        Task.FromResult(profile.State.Exists && profile.State.MergedInto is null ? profile.State.Journeys.ToArray() : []);

    /// <summary>
    /// Advances the user's runs with this turn's changes (exit conditions, awaited events, ended waits), credits
    /// journey conversions, and enters the live journeys whose entry the changes meet; true if a message is due now.
    /// </summary>
    private async Task<bool> AdvanceJourneys(ApplyResult result, DateTime now)
    {
        var key = Key;
        if (key.User.Anonymous) return false;
        var journeys = await journeyCache.GetAsync(key.AppId);
        if (journeys.IsEmpty) return false;

        var state = profile.State;
        var turn = new JourneyTurn();
        for (int i = 0; i < state.Journeys.Count; i++)
        {
            var run = state.Journeys[i];
            CreditConversion(run, journeys, result.AppliedEvents);
            if (run.Active) await Walk(run, journeys, result.AppliedEvents, now, turn);
        }

        if (journeys.Live.Count > 0)
        {
            var causes = new TriggerCauses(result.AppliedEvents, result.SegmentChanges, result.Transitions, result.GeofenceChanges);
            foreach (var journey in journeys.Live)
            {
                if (JourneyMachine.Enters(journey.Current, causes)) await TryEnter(journey, now, null, turn);
            }
        }

        PruneRuns(state);
        return turn.MessageDue;
    }

    /// <summary>Enters the user into <paramref name="journey"/> and takes the steps due at once; null, or why they may not enter.</summary>
    private async Task<string?> TryEnter(JourneyRegistration journey, DateTime now, Dictionary<string, string>? properties, JourneyTurn turn)
    {
        var state = profile.State;
        var definition = journey.Current;
        bool inJourney = false;
        DateTime? lastLeft = null;
        foreach (var run in state.Journeys)
        {
            if (run.JourneyId != journey.Id) continue;
            if (run.Active) inJourney = true;
            else if (lastLeft is null || run.LeftAt > lastLeft) lastLeft = run.LeftAt;
        }

        if (JourneyMachine.CannotEnter(definition, inJourney, lastLeft, now) is { } cannot) return cannot;
        var context = new JourneyContext(Key.User.Id, state, now, Policy);
        if (!JourneyMachine.InAudience(definition, context)) return "not_in_audience";
        if (definition.EntryLimitPerDay is { } limit
            && !await GrainFactory.GetGrain<IJourneyEntryGateGrain>(JourneyEntryGateGrain.Key(Key.AppId, journey.Id, now)).TryAdmit(limit))
        {
            return "entry_limit_reached";
        }

        int version = journey.Versions.Length;
        var entered = JourneyMachine.Enter(definition, version, now);
        entered.Properties = properties is { Count: > 0 } ? properties : null;
        state.Journeys.Add(entered);
        string statsId = JourneyStatsKeys.StatsId(journey.Id);
        Report(statsId, JourneyStatsKeys.Arm(version, WholeArm(definition)), ReportKind.Entered);
        Report(statsId, JourneyStatsKeys.Arm(version, definition.Start), ReportKind.Reached);
        metrics.JourneyEntered(Key.AppId);
        Apply(entered, definition, JourneyMachine.Advance(definition, entered, context), now, turn);
        return null;
    }

    /// <summary>Moves one run on: out if its journey was archived, to a newer version if one moves users, then its steps.</summary>
    private async Task Walk(JourneyPosition run, JourneySet journeys, IReadOnlyList<UserEvent> events, DateTime now, JourneyTurn turn)
    {
        var journey = journeys.Find(run.JourneyId) ?? (await journeyCache.RefreshAsync(Key.AppId)).Find(run.JourneyId);
        if (journey is null || journey.Status == JourneyStatus.Archived)
        {
            Leave(run, JourneyMachine.Archived, now);
            return;
        }

        // Why: a paused journey holds its users where they are; its waits that end meanwhile move on at resume.
        if (journey.Status == JourneyStatus.Paused) return;

        string statsId = JourneyStatsKeys.StatsId(run.JourneyId);
        for (int v = run.Version + 1; v <= journey.Versions.Length; v++)
        {
            var newer = journey.Version(v)!;
            if (newer.MoveUsers is not { } map) continue;
            string from = run.StepId;
            int fromVersion = run.Version;
            if (JourneyMachine.Migrate(run, newer, v, map) is { } removed)
            {
                Leave(run, removed, now);
                return;
            }

            Report(statsId, JourneyStatsKeys.Arm(fromVersion, from), ReportKind.Moved, $"version:{v}");
            Report(statsId, JourneyStatsKeys.Arm(v, run.StepId), ReportKind.Reached);
            run.Record(new JourneyTrailEntry(JourneyTrailKind.Moved, from, now, $"version:{v} → {run.StepId}"));
        }

        if (journey.Version(run.Version) is not { } definition)
        {
            Leave(run, JourneyMachine.StepRemoved, now);
            return;
        }

        var state = profile.State;
        bool advanced = false;
        foreach (var e in events)
        {
            // Why: only an event the journey looks at (an exit or an awaited event) needs an advance of its own.
            if (e.Kind != EventKind.Track || e.Name is not { } name || !Awaits(definition, name)) continue;
            var context = new JourneyContext(Key.User.Id, state, now, Policy) { Event = new JourneyEvent(name, e.Timestamp) };
            Apply(run, definition, JourneyMachine.Advance(definition, run, context), now, turn);
            advanced = true;
            if (!run.Active) return;
        }

        if (!advanced) Apply(run, definition, JourneyMachine.Advance(definition, run, new JourneyContext(Key.User.Id, state, now, Policy)), now, turn);
    }

    private static bool Awaits(JourneyDefinition definition, string name)
    {
        foreach (var exit in definition.Exits)
        {
            if (exit.Kind == JourneyExitKind.Event && exit.Event == name) return true;
        }

        foreach (var step in definition.Steps)
        {
            if (step.UntilEvent == name) return true;
        }

        return false;
    }

    /// <summary>Records what an advance did: the moves and the exit in the run's trail and counts, the messages in the outbox.</summary>
    private void Apply(JourneyPosition run, JourneyDefinition definition, JourneyAdvance advance, DateTime now, JourneyTurn turn)
    {
        var key = Key;
        string statsId = JourneyStatsKeys.StatsId(run.JourneyId);
        foreach (var effect in advance.Effects)
        {
            switch (effect.Kind)
            {
                case JourneyEffectKind.Moved:
                    run.Record(new JourneyTrailEntry(JourneyTrailKind.Moved, effect.StepId, now, effect.Path));
                    Report(statsId, JourneyStatsKeys.Arm(run.Version, effect.StepId), ReportKind.Moved, effect.Path);
                    if (effect.To is { } to) Report(statsId, JourneyStatsKeys.Arm(run.Version, to), ReportKind.Reached);
                    metrics.JourneyStep(key.AppId);
                    break;

                case JourneyEffectKind.Message when definition.Step(effect.StepId) is { Message: not null } step:
                    // Why: the occurrence names the run, so a step's message is one send per run, retried or not.
                    string occurrence = $"{run.Version}/{effect.StepId}/{run.EnteredAt.Ticks}";
                    string notificationId = NotificationIds.For(key, statsId, occurrence);
                    var request = new SendRequest(statsId, occurrence, definition.Category, definition.Priority) { DueAt = now };

                    // Why: the same user gets the same variant of a step every time, independently of other steps.
                    string? variant = step.Variants.Length == 0 ? null
                        : VariantAssigner.Assign($"{run.JourneyId}/{step.Id}", key.User.Id, 0, VariantMessage.Splits(step.Variants));
                    profile.State.PendingSends.Add(new PendingSend(statsId, occurrence, now, now)
                    {
                        Request = request,
                        Message = step.MessageFor(variant),
                        Variant = variant is null ? JourneyStatsKeys.Arm(run.Version, step.Id) : JourneyStatsKeys.VariantArm(run.Version, step.Id, variant),
                    });
                    run.Record(new JourneyTrailEntry(JourneyTrailKind.Message, effect.StepId, now, notificationId));
                    turn.MessageDue = true;
                    break;

                case JourneyEffectKind.Exited:
                    run.LeftAt = now;
                    run.ExitReason = effect.Reason;
                    run.WaitUntil = null;
                    run.Properties = null;
                    run.Record(new JourneyTrailEntry(JourneyTrailKind.Exited, effect.StepId, now, effect.Reason));
                    Report(statsId, JourneyStatsKeys.Arm(run.Version, effect.StepId), ReportKind.Exited, effect.Reason);
                    break;
            }
        }
    }

    /// <summary>Ends a run outside the step machine (its journey archived, its step removed by a new version).</summary>
    private void Leave(JourneyPosition run, string reason, DateTime now)
    {
        Report(JourneyStatsKeys.StatsId(run.JourneyId), JourneyStatsKeys.Arm(run.Version, run.StepId), ReportKind.Exited, reason);
        run.Record(new JourneyTrailEntry(JourneyTrailKind.Exited, run.StepId, now, reason));
        run.LeftAt = now;
        run.ExitReason = reason;
        run.WaitUntil = null;
        run.Properties = null;
    }

    /// <summary>The journey's conversion event, within its window of entry, counts once per run (in flight or ended).</summary>
    private void CreditConversion(JourneyPosition run, JourneySet journeys, IReadOnlyList<UserEvent> events)
    {
        if (run.Converted || events.Count == 0) return;
        if (journeys.Find(run.JourneyId)?.Version(run.Version) is not { ConversionEvent: { } conversion } definition) return;
        foreach (var e in events)
        {
            if (e.Kind == EventKind.Track && e.Name == conversion && e.Timestamp >= run.EnteredAt && e.Timestamp <= run.EnteredAt + definition.ConversionWindow)
            {
                run.Converted = true;
                string statsId = JourneyStatsKeys.StatsId(run.JourneyId);
                Report(statsId, JourneyStatsKeys.Arm(run.Version, WholeArm(definition)), ReportKind.Converted);

                // Why: each path the user took is credited, so the conversion rate of every branch can be read.
                foreach (var step in run.Trail)
                {
                    if (step.Kind == JourneyTrailKind.Moved && step.Detail is { } path && !path.StartsWith("version:", StringComparison.Ordinal))
                    {
                        Report(statsId, JourneyStatsKeys.Arm(run.Version, step.StepId), ReportKind.PathConverted, path);
                    }
                }

                return;
            }
        }
    }

    /// <summary>Where a user's entry and conversion are counted: apart for the app's global control group (marketing journeys).</summary>
    private string WholeArm(JourneyDefinition definition) =>
        definition.Category == MessageCategory.Marketing && VariantAssigner.InControlGroup(Key.AppId, Key.User.Id, Policy.Campaigns.ControlGroupPercent)
            ? JourneyStatsKeys.ControlGroup
            : JourneyStatsKeys.Whole;

    /// <summary>Keeps every run in flight, the latest ended run of each journey, and the latest <see cref="EndedRunsKept"/> others.</summary>
    private static void PruneRuns(UserProfileState state)
    {
        var runs = state.Journeys;
        int ended = 0;
        foreach (var run in runs) if (!run.Active) ended++;
        if (ended <= EndedRunsKept) return;

        var latest = runs.Where(r => !r.Active).GroupBy(r => r.JourneyId, StringComparer.Ordinal).Select(g => g.MaxBy(r => r.LeftAt)!).ToHashSet();
        foreach (var run in runs.Where(r => !r.Active && !latest.Contains(r)).OrderBy(r => r.LeftAt).ToList())
        {
            if (ended <= EndedRunsKept) break;
            runs.Remove(run);
            ended--;
        }
    }

    /// <summary>The earliest end of a wait in flight; one already past (a paused journey) is looked at again later.</summary>
    private DateTime? NextJourneyDue(DateTime now)
    {
        DateTime? next = null;
        foreach (var run in profile.State.Journeys)
        {
            if (!run.Active || run.WaitUntil is not { } until) continue;
            var at = until > now ? until : now + PausedJourneyRecheck;
            if (next is null || at < next) next = at;
        }

        return next;
    }

    /// <summary>
    /// A journey step's message from the outbox: the same decision as a campaign's (the global control group,
    /// the template, consent, device, caps and quiet hours, which hold it in the outbox or drop it), counted under
    /// the step. The user has moved on already; a suppressed message is recorded with its reason.
    /// </summary>
    private async Task DecideJourneyMessage(PendingSend pending, DateTime now)
    {
        var key = Key;
        var request = pending.Request!;
        string arm = pending.Variant!;
        string notificationId = NotificationIds.For(key, pending.CampaignId, pending.Occurrence);
        var staleAt = pending.FirstDueAt + request.TimeToLive;
        if (now > staleAt)
        {
            await Settle(pending, arm, notificationId, SuppressionReason.Expired, $"its time to live ({request.TimeToLive}) passed before it could be sent", now);
            return;
        }

        double control = Policy.Campaigns.ControlGroupPercent;
        if (request.Category == MessageCategory.Marketing && VariantAssigner.InControlGroup(key.AppId, key.User.Id, control))
        {
            await Settle(pending, arm, notificationId, SuppressionReason.ControlGroup, $"in the app's global control group ({control:0.##} % of users receive no marketing push)", now);
            return;
        }

        var journey = JourneyStatsKeys.Parse(arm) is { } parsed
            ? (await journeyCache.GetAsync(key.AppId)).Find(pending.CampaignId[JourneyStatsKeys.Prefix.Length..])?.Version(parsed.Version)
            : null;
        await RenderAndSend(pending, arm, request, pending.Message!, notificationId, staleAt, now,
            new MessageExposure(request.Category, journey?.ConversionEvent, journey?.ConversionWindow ?? TimeSpan.Zero), RunOf(pending)?.Properties ?? NoProperties);
    }

    private static readonly Dictionary<string, string> NoProperties = new(StringComparer.Ordinal);

    /// <summary>The run a journey message belongs to (its occurrence ends with the run's entry time).</summary>
    private JourneyPosition? RunOf(PendingSend pending)
    {
        string journeyId = pending.CampaignId[JourneyStatsKeys.Prefix.Length..];
        string ticks = pending.Occurrence[(pending.Occurrence.LastIndexOf('/') + 1)..];
        return profile.State.Journeys.Find(r => r.JourneyId == journeyId && r.EnteredAt.Ticks.ToString(System.Globalization.CultureInfo.InvariantCulture) == ticks);
    }

    private sealed class JourneyTurn
    {
        public bool MessageDue { get; set; }
    }
}
