using Orleans.Segments.Domain.Campaigns;
using Orleans.Segments.Domain.Profile;
using Orleans.Segments.Domain.Segments;

namespace Orleans.Segments.Domain.Journeys;

/// <summary>An event of the user as a journey sees it: its name and when it happened.</summary>
public sealed record JourneyEvent(string Name, DateTime At);

/// <summary>The user and the moment a journey is advanced for.</summary>
public sealed class JourneyContext(string userId, UserProfileState state, DateTime now, UserModelPolicy policy)
{
    public string UserId { get; } = userId;

    public UserProfileState State { get; } = state;

    public DateTime Now { get; } = now;

    public UserModelPolicy Policy { get; } = policy;

    /// <summary>The event being applied, if the advance is caused by one (an exit condition or an event wait may take it).</summary>
    public JourneyEvent? Event { get; init; }
}

public enum JourneyEffectKind : byte
{
    /// <summary>The user moved from <see cref="JourneyEffect.StepId"/> to <see cref="JourneyEffect.To"/> by <see cref="JourneyEffect.Path"/>.</summary>
    Moved,

    /// <summary>The message of step <see cref="JourneyEffect.StepId"/> is to be sent (through the campaign decision).</summary>
    Message,

    /// <summary>The user waits at <see cref="JourneyEffect.StepId"/> until <see cref="JourneyEffect.Until"/>.</summary>
    Waiting,

    /// <summary>The user left the journey at <see cref="JourneyEffect.StepId"/> for <see cref="JourneyEffect.Reason"/>.</summary>
    Exited,
}

/// <summary>One thing that happened while a user was advanced, in order.</summary>
public sealed record JourneyEffect(JourneyEffectKind Kind, string StepId)
{
    public string? To { get; init; }

    /// <summary>Which path a move took: <c>next</c>, <c>happened</c>, <c>timed_out</c>, <c>rules[0]</c>, <c>otherwise</c>, <c>split[1]</c>.</summary>
    public string? Path { get; init; }

    public string? Reason { get; init; }

    public DateTime? Until { get; init; }
}

/// <summary>What advancing did: the effects in order; the user exited, or waits until <see cref="WakeAt"/>.</summary>
public sealed record JourneyAdvance(IReadOnlyList<JourneyEffect> Effects, string? ExitReason, DateTime? WakeAt)
{
    public bool Exited => ExitReason is not null;
}

/// <summary>
/// The step machine of a journey, for one user: pure, so that the user grain persists the new position and the
/// effects (the messages to send, in its outbox) together. Every step is taken at its exact time: a wait that ended
/// before the user was advanced (a wake-up comes late, or with the next event) moves the user on as of its end.
/// </summary>
public static class JourneyMachine
{
    /// <summary>Reasons a user leaves a journey, besides the exit conditions' own.</summary>
    public const string Completed = "completed", StepRemoved = "step_removed", Archived = "archived";

    /// <summary>A user entering <paramref name="journey"/> at <paramref name="now"/>: at its start, not yet advanced.</summary>
    public static JourneyPosition Enter(JourneyDefinition journey, int version, DateTime now) =>
        new() { JourneyId = journey.Id, Version = version, StepId = journey.Start, EnteredAt = now, StepSince = now };

    /// <summary>
    /// Why the user may not enter now, or null if they may: they are in it, or re-entry is not allowed (never, or
    /// not yet: <see cref="JourneyDefinition.ReentryAfter"/> after they left).
    /// </summary>
    public static string? CannotEnter(JourneyDefinition journey, bool inJourney, DateTime? lastLeftAt, DateTime now)
    {
        if (inJourney) return "already_in_journey";
        if (lastLeftAt is not { } left) return null;
        if (!journey.Reentry) return "reentry_not_allowed";
        return journey.ReentryAfter is { } after && now < Calendar.Add(left, after) ? "reentry_too_soon" : null;
    }

    /// <summary>
    /// Moves the user through every step that is due at <see cref="JourneyContext.Now"/>: exit conditions first,
    /// then messages, branches and ended waits, until a wait that has not ended or the end of the journey.
    /// <paramref name="position"/> is updated in place.
    /// </summary>
    public static JourneyAdvance Advance(JourneyDefinition journey, JourneyPosition position, JourneyContext context)
    {
        var effects = new List<JourneyEffect>();
        if (ExitCondition(journey, position, context) is { } condition) return Exit(position, effects, condition);

        var pending = context.Event;
        var at = position.StepSince;

        // Why: the graph has no cycles, so a user passes each step at most once per advance; the bound only
        // guards against a definition that was never validated.
        for (int moves = 0; moves <= JourneyDefinition.MaxSteps; moves++)
        {
            var step = journey.Step(position.StepId);
            if (step is null) return Exit(position, effects, StepRemoved);

            switch (step.Kind)
            {
                case JourneyStepKind.Message:
                    effects.Add(new JourneyEffect(JourneyEffectKind.Message, step.Id));
                    at = Max(at, context.Now);
                    Move(position, step, step.Next, "next", at, effects);
                    break;

                case JourneyStepKind.Branch:
                    var (next, path) = Choose(journey, step, context);
                    Move(position, step, next, path, Max(at, context.Now), effects);
                    break;

                case JourneyStepKind.Exit:
                    return Exit(position, effects, Completed);

                case JourneyStepKind.Wait:
                    var end = position.WaitUntil ??= WaitEnd(step, position.StepSince, context);

                    // Why: an event counts in [start of the wait, end); one at the exact end is too late, whichever of
                    // the event and the wake-up is processed first, so the outcome never depends on arrival order.
                    if (step.UntilEvent is { } awaited && pending is { } e && string.Equals(e.Name, awaited, StringComparison.Ordinal)
                        && e.At >= position.StepSince && e.At < end)
                    {
                        pending = null;
                        Move(position, step, step.Next, "happened", Max(at, e.At), effects);
                        break;
                    }

                    if (context.Now < end)
                    {
                        effects.Add(new JourneyEffect(JourneyEffectKind.Waiting, step.Id) { Until = end });
                        return new JourneyAdvance(effects, null, end);
                    }

                    Move(position, step, step.UntilEvent is null ? step.Next : step.TimedOut, step.UntilEvent is null ? "next" : "timed_out", end, effects);
                    break;
            }

            at = position.StepSince;
        }

        return Exit(position, effects, Completed);
    }

    /// <summary>
    /// Moves a user in flight to a new version of their journey: to the step <paramref name="stepMap"/> names for
    /// theirs, or the step of the same id; returns <see cref="StepRemoved"/> if the new version has neither.
    /// </summary>
    public static string? Migrate(JourneyPosition position, JourneyDefinition newVersion, int version, IReadOnlyDictionary<string, string>? stepMap = null)
    {
        string target = stepMap is not null && stepMap.TryGetValue(position.StepId, out var mapped) ? mapped : position.StepId;
        if (newVersion.Step(target) is null) return StepRemoved;
        position.StepId = target;
        position.Version = version;

        // Why: the wait's end is computed again from when the user reached the step, so a changed duration applies.
        position.WaitUntil = null;
        return null;
    }

    /// <summary>Whether this turn's changes put a user into <paramref name="journey"/> by its entry (an API entry never does).</summary>
    public static bool Enters(JourneyDefinition journey, TriggerCauses causes)
    {
        var entry = journey.Entry;
        switch (entry.Kind)
        {
            case JourneyEntryKind.Event:
                foreach (var e in causes.Events)
                {
                    if (e.Kind == Events.EventKind.Track && string.Equals(e.Name, entry.Event, StringComparison.Ordinal)) return true;
                }

                return false;
            case JourneyEntryKind.SegmentEntry:
                foreach (var change in causes.Segments)
                {
                    if (change.Entered && change.Id == entry.Segment) return true;
                }

                return false;
            case JourneyEntryKind.GeofenceEntry:
                foreach (var change in causes.Geofences)
                {
                    if (change.Entered && change.Id == entry.Geofence) return true;
                }

                return false;
            case JourneyEntryKind.LifecycleStage:
                foreach (var t in causes.Stages)
                {
                    if (t.To == entry.Stage) return true;
                }

                return false;
            default:
                return false;
        }
    }

    /// <summary>Whether the user matches the journey's audience rule (everyone does when it has none).</summary>
    public static bool InAudience(JourneyDefinition journey, JourneyContext context)
    {
        if (journey.AudienceRule is null) return true;
        var rule = Audiences.GetValue(journey, static j => Compile(new JourneyBranchPath(j.AudienceRule!, "")));
        return rule(new RuleContext(context.State, context.Now, context.Policy) { InSegment = context.State.Segments.ContainsKey });
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<JourneyDefinition, Func<RuleContext, bool>> Audiences = new();

    /// <summary>The next time of day <paramref name="time"/> in <paramref name="timeZone"/> strictly after <paramref name="after"/> (UTC), DST-correct.</summary>
    public static DateTime NextLocalTime(DateTime after, TimeOnly time, string? timeZone)
    {
        var zone = timeZone is not null && TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out var z) ? z : TimeZoneInfo.Utc;
        var localDay = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(after, DateTimeKind.Utc), zone));
        for (int day = 0; day < 3; day++)
        {
            var candidate = CampaignSchedule.InZone(localDay.AddDays(day).ToDateTime(time), zone.Id);
            if (candidate > after) return candidate;
        }

        return Calendar.Add(after, TimeSpan.FromDays(1));
    }

    /// <summary>Each branch rule compiled once, for as long as its definition is alive; an invalid one never matches.</summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<JourneyBranchPath, Func<RuleContext, bool>> Compiled = new();

    private static Func<RuleContext, bool> Compile(JourneyBranchPath path)
    {
        var parsed = RuleParser.Parse(path.Rule);
        return parsed.IsValid ? RuleCompiler.Compile(parsed.Root!) : _ => false;
    }

    private static DateTime WaitEnd(JourneyStep step, DateTime since, JourneyContext context)
    {
        if (step.Duration is { } duration) return Calendar.Add(since, duration);
        if (step.Timeout is { } timeout) return Calendar.Add(since, timeout);
        return NextLocalTime(since, step.UntilLocalTime ?? default, context.State.TimeZone ?? context.Policy.QuietHours.DefaultTimeZone);
    }

    private static (string? Next, string Path) Choose(JourneyDefinition journey, JourneyStep step, JourneyContext context)
    {
        if (step.Split.Length > 0)
        {
            // Why: the same user takes the same path every time (and in every version), independently of other splits.
            double point = VariantAssigner.Point($"{journey.Id}/{step.Id}", context.UserId) * 100;
            double edge = 0;
            for (int i = 0; i < step.Split.Length; i++)
            {
                edge += step.Split[i].Percent;
                if (point < edge) return (step.Split[i].Next, $"split[{i}]");
            }

            return (step.Split[^1].Next, $"split[{step.Split.Length - 1}]");
        }

        var rules = new RuleContext(context.State, context.Now, context.Policy) { InSegment = context.State.Segments.ContainsKey };
        for (int i = 0; i < step.Rules.Length; i++)
        {
            if (Compiled.GetValue(step.Rules[i], Compile)(rules)) return (step.Rules[i].Next, $"rules[{i}]");
        }

        return (step.Default, "otherwise");
    }

    private static string? ExitCondition(JourneyDefinition journey, JourneyPosition position, JourneyContext context)
    {
        var consent = context.State.Subscriptions;
        foreach (var exit in journey.Exits)
        {
            bool met = exit.Kind switch
            {
                JourneyExitKind.Event => context.Event is { } e && string.Equals(e.Name, exit.Event, StringComparison.Ordinal),
                JourneyExitKind.SegmentExit => exit.Segment is { } segment && !context.State.Segments.ContainsKey(segment),
                // Why: withdrawn while in the journey; a user not asked yet (an app asks after the install that
                // started an onboarding) or who said no before entering stays, and is sent no marketing push.
                JourneyExitKind.ConsentWithdrawn => journey.Category == MessageCategory.Marketing && !consent.Marketing
                    && consent.MarketingChangedAt is { } changed && changed >= position.EnteredAt,
                _ => false,
            };
            if (met) return exit.Reason;
        }

        return null;
    }

    private static void Move(JourneyPosition position, JourneyStep from, string? to, string path, DateTime at, List<JourneyEffect> effects)
    {
        effects.Add(new JourneyEffect(JourneyEffectKind.Moved, from.Id) { To = to, Path = path });
        position.StepId = to ?? "";
        position.StepSince = at;
        position.WaitUntil = null;
    }

    private static JourneyAdvance Exit(JourneyPosition position, List<JourneyEffect> effects, string reason)
    {
        effects.Add(new JourneyEffect(JourneyEffectKind.Exited, position.StepId) { Reason = reason });
        return new JourneyAdvance(effects, reason, null);
    }

    private static DateTime Max(DateTime a, DateTime b) => a > b ? a : b;
}
