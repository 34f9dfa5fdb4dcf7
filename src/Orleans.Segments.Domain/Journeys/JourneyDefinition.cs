using Orleans.Segments.Domain.Campaigns;
using Orleans.Segments.Domain.Lifecycle;
using Orleans.Segments.Domain.Segments;

namespace Orleans.Segments.Domain.Journeys;

/// <summary>What puts a user into a journey.</summary>
public enum JourneyEntryKind : byte
{
    SegmentEntry,
    LifecycleStage,
    Event,
    GeofenceEntry,

    /// <summary>A call of the API naming the user (<c>POST /v1/journeys/{id}/enter</c>).</summary>
    Api,
}

/// <summary>What a step does.</summary>
public enum JourneyStepKind : byte
{
    /// <summary>Sends a message (through the same decision as a campaign's) and moves on.</summary>
    Message,

    /// <summary>Waits for a duration, until a local time of day, or until an event (at most for a duration).</summary>
    Wait,

    /// <summary>Takes the first path whose rule matches (else the default), or a random split by percentages.</summary>
    Branch,

    /// <summary>Ends the journey for the user.</summary>
    Exit,
}

/// <summary>What takes a user out of a journey wherever they are in it, checked on every change of the user.</summary>
public enum JourneyExitKind : byte
{
    /// <summary>The user did an event (for example <c>Order Completed</c>).</summary>
    Event,

    /// <summary>The user is no longer in a segment.</summary>
    SegmentExit,

    /// <summary>The user withdrew marketing consent (applies to marketing journeys).</summary>
    ConsentWithdrawn,
}

[GenerateSerializer, Immutable, Alias("segments.JourneyEntry")]
public sealed record JourneyEntry([property: Id(0)] JourneyEntryKind Kind)
{
    [Id(1)] public string? Segment { get; init; }

    [Id(2)] public LifecycleStage? Stage { get; init; }

    [Id(3)] public string? Event { get; init; }

    [Id(4)] public string? Geofence { get; init; }
}

[GenerateSerializer, Immutable, Alias("segments.JourneyExitCondition")]
public sealed record JourneyExitCondition([property: Id(0)] JourneyExitKind Kind)
{
    [Id(1)] public string? Event { get; init; }

    [Id(2)] public string? Segment { get; init; }

    /// <summary>The reason recorded when a user leaves by this condition, e.g. <c>event:Order Completed</c>.</summary>
    public string Reason => Kind switch
    {
        JourneyExitKind.Event => $"event:{Event}",
        JourneyExitKind.SegmentExit => $"left_segment:{Segment}",
        _ => "consent_withdrawn",
    };
}

/// <summary>A path of a rule branch: taken when <see cref="Rule"/> holds for the user (the first such path wins).</summary>
[GenerateSerializer, Immutable, Alias("segments.JourneyBranchPath")]
public sealed record JourneyBranchPath([property: Id(0)] string Rule, [property: Id(1)] string Next);

/// <summary>A path of a random split, taken by <see cref="Percent"/> of users (the same users every time).</summary>
[GenerateSerializer, Immutable, Alias("segments.JourneySplitPath")]
public sealed record JourneySplitPath([property: Id(0)] double Percent, [property: Id(1)] string Next);

/// <summary>
/// One step of a journey. Which members apply depends on <see cref="Kind"/>: a message step has
/// <see cref="Message"/> and <see cref="Next"/>; a wait has exactly one of <see cref="Duration"/>,
/// <see cref="UntilLocalTime"/> or <see cref="UntilEvent"/> (with <see cref="Timeout"/> and <see cref="TimedOut"/>),
/// and <see cref="Next"/> (for an event wait: the path when the event happened); a branch has
/// <see cref="Rules"/> and <see cref="Default"/>, or <see cref="Split"/>; an exit has nothing.
/// </summary>
[GenerateSerializer, Immutable, Alias("segments.JourneyStep")]
public sealed record JourneyStep([property: Id(0)] string Id, [property: Id(1)] JourneyStepKind Kind)
{
    [Id(2)] public CampaignMessage? Message { get; init; }

    [Id(3)] public string? Next { get; init; }

    [Id(4)] public TimeSpan? Duration { get; init; }

    [Id(5)] public TimeOnly? UntilLocalTime { get; init; }

    [Id(6)] public string? UntilEvent { get; init; }

    /// <summary>How long an event wait waits at most.</summary>
    [Id(7)] public TimeSpan? Timeout { get; init; }

    /// <summary>The path an event wait takes when the event did not happen within <see cref="Timeout"/>.</summary>
    [Id(8)] public string? TimedOut { get; init; }

    [Id(9)] public JourneyBranchPath[] Rules { get; init; } = [];

    [Id(10)] public JourneySplitPath[] Split { get; init; } = [];

    [Id(11)] public string? Default { get; init; }

    /// <summary>A message step's A/B variants (instead of <see cref="Message"/> for the users they are assigned, per user and step).</summary>
    [Id(12)] public VariantMessage[] Variants { get; init; } = [];

    /// <summary>The message of this step for <paramref name="variant"/> (null: the step's own message).</summary>
    public CampaignMessage? MessageFor(string? variant) => variant is null ? Message : Array.Find(Variants, v => v.Name == variant)?.Message ?? Message;

    /// <summary>Every step this one can lead to, each once.</summary>
    public IEnumerable<string> Successors() =>
        new[] { Next, TimedOut, Default }.Concat(Rules.Select(r => r.Next)).Concat(Split.Select(s => s.Next))
            .OfType<string>().Distinct(StringComparer.Ordinal);
}

/// <summary>
/// A journey: a graph of steps without cycles that each user walks in their own grain, from <see cref="Start"/>
/// until an exit step, an exit condition, or the end of a path.
/// </summary>
[GenerateSerializer, Immutable, Alias("segments.JourneyDefinition")]
public sealed record JourneyDefinition(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] JourneyEntry Entry,
    [property: Id(3)] string Start,
    [property: Id(4)] JourneyStep[] Steps)
{
    public const int MaxSteps = 50;

    /// <summary>The longest a wait (or an event wait's timeout, or a conversion window) may be.</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromDays(90);

    /// <summary>Default: marketing (needs marketing consent, counts against the marketing caps).</summary>
    [Id(5)] public MessageCategory Category { get; init; } = MessageCategory.Marketing;

    [Id(6)] public MessagePriority Priority { get; init; } = MessagePriority.Normal;

    /// <summary>A rule the user must match when they would enter; none: everyone the entry names.</summary>
    [Id(7)] public string? AudienceRule { get; init; }

    /// <summary>Whether a user who left may enter again; default: never.</summary>
    [Id(8)] public bool Reentry { get; init; }

    /// <summary>With <see cref="Reentry"/>: how long after leaving; none: at once.</summary>
    [Id(9)] public TimeSpan? ReentryAfter { get; init; }

    /// <summary>At most this many entries per UTC day across all users; none: no limit.</summary>
    [Id(10)] public int? EntryLimitPerDay { get; init; }

    [Id(11)] public JourneyExitCondition[] Exits { get; init; } = [];

    /// <summary>The event that counts as a conversion when it happens within <see cref="ConversionWindow"/> of entry.</summary>
    [Id(12)] public string? ConversionEvent { get; init; }

    [Id(13)] public TimeSpan ConversionWindow { get; init; } = TimeSpan.FromDays(7);

    /// <summary>
    /// For a change of a live journey: how the users in flight on earlier versions move to this one, a step id of
    /// theirs to a step of this version (a step of theirs not named moves to the step of the same id, or exits
    /// with <c>step_removed</c> if this version has none). None: they finish on the version they are on.
    /// </summary>
    [Id(14)] public IReadOnlyDictionary<string, string>? MoveUsers { get; init; }

    public JourneyStep? Step(string? id) => id is null ? null : Array.Find(Steps, s => s.Id == id);

    /// <summary>
    /// Every problem of the definition, each prefixed with the path of the field it is about (e.g.
    /// <c>steps[2].next: no step "tip"</c>); empty when it is valid.
    /// </summary>
    public List<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(Name)) errors.Add("name: required.");
        ValidateEntry(errors);
        if (AudienceRule is not null) AddRuleErrors(AudienceRule, "audience.rule", errors);

        if (Steps.Length == 0) errors.Add("steps: a journey needs at least one step.");
        if (Steps.Length > MaxSteps) errors.Add($"steps: {Steps.Length} steps, at most {MaxSteps} are allowed.");
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < Steps.Length; i++)
        {
            if (!ResourceName(Steps[i].Id)) errors.Add($"steps[{i}].id: 1 to 64 letters, digits, '-' or '_'.");
            else if (!ids.Add(Steps[i].Id)) errors.Add($"steps[{i}].id: \"{Steps[i].Id}\" is the id of an earlier step.");
        }

        if (!ids.Contains(Start)) errors.Add($"start: no step \"{Start}\".");
        foreach (var (from, to) in MoveUsers ?? new Dictionary<string, string>())
        {
            if (!ResourceName(from)) errors.Add("moveUsers: a key is not a step id (1 to 64 letters, digits, '-' or '_').");
            else if (!ResourceName(to)) errors.Add($"moveUsers.{from}: not a step id (1 to 64 letters, digits, '-' or '_').");
            else if (!ids.Contains(to)) errors.Add($"moveUsers.{from}: no step \"{to}\" in this version.");
        }

        for (int i = 0; i < Steps.Length; i++) ValidateStep(Steps[i], $"steps[{i}]", ids, errors);

        for (int i = 0; i < Exits.Length; i++)
        {
            var exit = Exits[i];
            if (exit.Kind == JourneyExitKind.Event && string.IsNullOrWhiteSpace(exit.Event)) errors.Add($"exits[{i}].event: required for an event exit.");
            if (exit.Kind == JourneyExitKind.SegmentExit && string.IsNullOrWhiteSpace(exit.Segment)) errors.Add($"exits[{i}].segment: required for a segment exit.");
        }

        if (ReentryAfter is { } after && (after <= TimeSpan.Zero || after > MaxWait)) errors.Add("reentry.after: more than 0 and at most 90 days.");
        if (ReentryAfter is not null && !Reentry) errors.Add("reentry.after: only with re-entry allowed.");
        if (EntryLimitPerDay is < 1) errors.Add("entryLimitPerDay: at least 1.");
        if (ConversionWindow <= TimeSpan.Zero || ConversionWindow > MaxWait) errors.Add("conversion.window: more than 0 and at most 90 days.");

        // Why: the graph checks only make sense once every path names a step that exists.
        if (errors.Count == 0) ValidateGraph(errors);
        return errors;
    }

    /// <summary>The segments, geofences and events the definition names, for reference checks.</summary>
    public IEnumerable<(string Kind, string Id)> References()
    {
        if (Entry.Segment is { } entrySegment) yield return ("segment", entrySegment);
        if (Entry.Geofence is { } geofence) yield return ("geofence", geofence);
        foreach (var exit in Exits)
        {
            if (exit.Segment is { } segment) yield return ("segment", segment);
        }

        var rules = Steps.SelectMany(s => s.Rules.Select(r => r.Rule)).Append(AudienceRule).OfType<string>();
        foreach (var rule in rules.Select(RuleParser.Parse))
        {
            foreach (string segment in rule.SegmentReferences) yield return ("segment", segment);
            foreach (string fence in rule.GeofenceReferences) yield return ("geofence", fence);
        }
    }

    private void ValidateEntry(List<string> errors)
    {
        switch (Entry.Kind)
        {
            case JourneyEntryKind.SegmentEntry when string.IsNullOrWhiteSpace(Entry.Segment):
                errors.Add("entry.segment: required for a segment entry.");
                break;
            case JourneyEntryKind.LifecycleStage when Entry.Stage is null:
                errors.Add("entry.stage: required for a lifecycle entry.");
                break;
            case JourneyEntryKind.Event when string.IsNullOrWhiteSpace(Entry.Event):
                errors.Add("entry.event: required for an event entry.");
                break;
            case JourneyEntryKind.GeofenceEntry when string.IsNullOrWhiteSpace(Entry.Geofence):
                errors.Add("entry.geofence: required for a geofence entry.");
                break;
        }
    }

    private static void ValidateStep(JourneyStep step, string path, HashSet<string> ids, List<string> errors)
    {
        void Path(string? next, string field, bool required)
        {
            if (next is null)
            {
                if (required) errors.Add($"{path}.{field}: required for a {step.Kind.ToString().ToLowerInvariant()} step.");
            }
            else if (!ids.Contains(next))
            {
                errors.Add($"{path}.{field}: no step \"{next}\".");
            }
        }

        void Only(bool present, string field)
        {
            if (present) errors.Add($"{path}.{field}: not a field of a {step.Kind.ToString().ToLowerInvariant()} step.");
        }

        switch (step.Kind)
        {
            case JourneyStepKind.Message:
                if (step.Message is null) errors.Add($"{path}.message: required for a message step.");
                else if (step.Message.Validate() is { } problem) errors.Add($"{path}.message: {problem}");
                VariantMessage.Validate(step.Variants, $"{path}.variants", errors);
                Path(step.Next, "next", required: true);
                Only(step.Duration is not null || step.UntilLocalTime is not null || step.UntilEvent is not null, "wait");
                Only(step.Rules.Length > 0 || step.Split.Length > 0 || step.Default is not null, "branch");
                break;

            case JourneyStepKind.Wait:
                int kinds = (step.Duration is null ? 0 : 1) + (step.UntilLocalTime is null ? 0 : 1) + (step.UntilEvent is null ? 0 : 1);
                if (kinds != 1) errors.Add($"{path}: a wait has exactly one of duration, untilLocalTime or untilEvent.");
                if (step.Duration is { } duration && (duration <= TimeSpan.Zero || duration > MaxWait)) errors.Add($"{path}.duration: more than 0 and at most 90 days.");
                if (step.UntilEvent is not null)
                {
                    if (string.IsNullOrWhiteSpace(step.UntilEvent)) errors.Add($"{path}.untilEvent: an event name.");
                    if (step.Timeout is not { } timeout) errors.Add($"{path}.timeout: required for an event wait (at most 90 days).");
                    else if (timeout <= TimeSpan.Zero || timeout > MaxWait) errors.Add($"{path}.timeout: more than 0 and at most 90 days.");
                    Path(step.TimedOut, "timedOut", required: true);
                }
                else
                {
                    Only(step.Timeout is not null, "timeout");
                    Only(step.TimedOut is not null, "timedOut");
                }

                Path(step.Next, "next", required: true);
                Only(step.Message is not null, "message");
                Only(step.Variants.Length > 0, "variants");
                Only(step.Rules.Length > 0 || step.Split.Length > 0 || step.Default is not null, "branch");
                break;

            case JourneyStepKind.Branch:
                if (step.Rules.Length > 0 && step.Split.Length > 0) errors.Add($"{path}: a branch has rules or a split, not both.");
                if (step.Rules.Length == 0 && step.Split.Length == 0) errors.Add($"{path}: a branch needs rules (with an otherwise path) or a split.");
                for (int i = 0; i < step.Rules.Length; i++)
                {
                    AddRuleErrors(step.Rules[i].Rule, $"{path}.rules[{i}].rule", errors);
                    Path(step.Rules[i].Next, $"rules[{i}].next", required: true);
                }

                if (step.Rules.Length > 0) Path(step.Default, "otherwise", required: true);
                else Only(step.Default is not null, "otherwise");
                for (int i = 0; i < step.Split.Length; i++)
                {
                    if (!(step.Split[i].Percent > 0 && step.Split[i].Percent <= 100)) errors.Add($"{path}.split[{i}].percent: more than 0 and at most 100.");
                    Path(step.Split[i].Next, $"split[{i}].next", required: true);
                }

                if (step.Split.Length > 0 && Math.Abs(step.Split.Sum(s => s.Percent) - 100) > 1e-9) errors.Add($"{path}.split: the percentages add up to {step.Split.Sum(s => s.Percent):0.##}, not 100.");
                Only(step.Next is not null, "next");
                Only(step.Message is not null, "message");
                Only(step.Variants.Length > 0, "variants");
                break;

            case JourneyStepKind.Exit:
                Only(step.Next is not null, "next");
                Only(step.Message is not null, "message");
                Only(step.Variants.Length > 0, "variants");
                break;
        }
    }

    private void ValidateGraph(List<string> errors)
    {
        var index = Steps.Select((s, i) => (s.Id, i)).ToDictionary(p => p.Id, p => p.i, StringComparer.Ordinal);

        // Why: a depth-first walk with three colours finds a cycle (a step reached again while on the current
        // path) and, from the start, which steps can be reached at all.
        var colour = new byte[Steps.Length];
        var path = new List<string>();
        string? cycle = null;
        Visit(index[Start]);
        if (cycle is not null) errors.Add($"steps: {cycle} is a cycle; a journey's steps must not lead back to an earlier one.");
        for (int i = 0; i < Steps.Length; i++)
        {
            if (colour[i] == 0) errors.Add($"steps[{i}]: \"{Steps[i].Id}\" cannot be reached from the start \"{Start}\".");
        }

        void Visit(int i)
        {
            colour[i] = 1;
            path.Add(Steps[i].Id);
            foreach (string next in Steps[i].Successors())
            {
                int j = index[next];
                if (colour[j] == 1) cycle ??= string.Join(" → ", path.SkipWhile(id => id != next).Append(next));
                else if (colour[j] == 0) Visit(j);
            }

            path.RemoveAt(path.Count - 1);
            colour[i] = 2;
        }
    }

    private static void AddRuleErrors(string text, string path, List<string> errors)
    {
        var parsed = RuleParser.Parse(text);
        if (parsed.Errors.Count > 0) errors.Add($"{path}: {parsed.Errors[0]}");
        if (!parsed.IsValid && parsed.Errors.Count == 0) errors.Add($"{path}: not a rule.");
    }

    private static bool ResourceName(string? id) =>
        !string.IsNullOrEmpty(id) && id.Length <= 64 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
