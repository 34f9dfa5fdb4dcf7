using System.Globalization;
using System.Text.Json;
using Orleans.Segments.Contracts;
using Orleans.Segments.Domain.Campaigns;
using Orleans.Segments.Domain.Journeys;
using Orleans.Segments.Domain.Lifecycle;

namespace Orleans.Segments.Server.Apis;

/// <summary>
/// A journey definition between its contract (<see cref="JourneyInput"/>) and the domain's
/// <see cref="JourneyDefinition"/>: every field checked, every problem collected with its path
/// (<c>steps[2].next: …</c>), the graph checked as a whole, and the definition written back in the same shape.
/// </summary>
public static class JourneyContract
{
    private static readonly string[] EntryTypes = ["segment_entry", "lifecycle", "event", "geofence_entry", "api"];

    private static readonly string[] StepTypes = ["message", "wait", "branch", "exit"];

    private static readonly string[] ExitTypes = ["event", "segment_exit", "consent_withdrawn"];

    /// <summary>Reads a journey body (an object) and checks it; null with the reasons in <paramref name="errors"/>.</summary>
    public static JourneyDefinition? Read(string id, JsonElement body, List<string> errors)
    {
        int before = errors.Count;
        var input = ContractBody.Read(body, ContractsJson.Default.JourneyInput, "journey", errors);
        if (input is null) return null;
        if (errors.Count == before) return ToDefinition(id, input, errors) is { } valid && errors.Count == before ? valid : null;

        // Why: as for campaigns, the fields that could be read are checked too, so one answer names every problem.
        var refused = errors.Skip(before).Select(CampaignContract.Field).ToHashSet(StringComparer.Ordinal);
        var checks = new List<string>();
        ToDefinition(id, input, checks);
        errors.AddRange(checks.Where(e => !refused.Contains(CampaignContract.Field(e))));
        return null;
    }

    public static JourneyDefinition? ToDefinition(string id, JourneyInput input, List<string> errors)
    {
        var check = new CampaignContract.Check(errors);
        string name = check.Text(input.Name, "name", 200) ?? id;
        if (input.Id is { } bodyId && bodyId != id) errors.Add($"id: '{ResourceId.Printable(bodyId)}' does not match the id in the path ('{id}').");
        var category = check.OneOf(input.Category, "category", ["marketing", "transactional"]) == "transactional" ? MessageCategory.Transactional : MessageCategory.Marketing;
        var priority = check.OneOf(input.Priority, "priority", ["low", "normal", "high"]) switch
        {
            "low" => MessagePriority.Low,
            "high" => MessagePriority.High,
            _ => MessagePriority.Normal,
        };

        var entry = input.Entry is { } e ? ReadEntry(e, check) : null;
        if (input.Entry is null) errors.Add("entry: required, e.g. {\"type\": \"event\", \"event\": \"Signed Up\"}.");
        if (input.Audience?.Segment is not null) errors.Add("audience.segment: a journey's audience is a rule (\"rule\"); its entry names the segment.");
        string? audience = check.Text(input.Audience?.Rule, "audience.rule", 4000);
        var reentryAfter = check.Duration(input.Reentry?.After, "reentry.after");
        var conversionWindow = check.Duration(input.Conversion?.Window, "conversion.window");
        string? conversionEvent = check.Text(input.Conversion?.Event, "conversion.event", 200);
        if (input.Conversion is not null && input.Conversion.Event is null) errors.Add("conversion.event: required.");
        string? start = check.Text(input.Start, "start", 64);
        if (input.Start is null) errors.Add("start: required: the id of the first step.");

        var exits = new List<JourneyExitCondition>();
        for (int i = 0; i < (input.Exits?.Length ?? 0); i++)
        {
            var x = input.Exits![i];
            string path = $"exits[{i}]";
            if (x is null)
            {
                errors.Add($"{path}: must be an object.");
                continue;
            }

            if (check.OneOf(x.Type, $"{path}.type", ExitTypes) is not { } type)
            {
                if (x.Type is null) errors.Add($"{path}.type: one of {string.Join(", ", ExitTypes)}.");
                continue;
            }

            exits.Add(new JourneyExitCondition((JourneyExitKind)Array.IndexOf(ExitTypes, type))
            {
                Event = check.Text(x.Event, $"{path}.event", 200),
                Segment = check.Text(x.Segment, $"{path}.segment", 64),
            });
        }

        var steps = new List<JourneyStep>();
        if (input.Steps is null || input.Steps.Length == 0) errors.Add("steps: required: at least one step.");
        else if (input.Steps.Length > JourneyDefinition.MaxSteps) errors.Add($"steps: {input.Steps.Length} steps, at most {JourneyDefinition.MaxSteps} are allowed.");
        else
        {
            for (int i = 0; i < input.Steps.Length; i++)
            {
                if (ReadStep(input.Steps[i], $"steps[{i}]", check) is { } step) steps.Add(step);
            }
        }

        if (errors.Count > 0 || entry is null || start is null) return null;
        var definition = new JourneyDefinition(id, name, entry, start, [.. steps])
        {
            Category = category,
            Priority = priority,
            AudienceRule = audience,
            Reentry = input.Reentry?.Allowed ?? false,
            ReentryAfter = reentryAfter,
            EntryLimitPerDay = input.EntryLimitPerDay,
            Exits = [.. exits],
            ConversionEvent = conversionEvent,
            MoveUsers = input.MoveUsers is { Count: > 100 } ? null : input.MoveUsers,
        };
        if (input.MoveUsers is { Count: > 100 }) errors.Add($"moveUsers: {input.MoveUsers.Count} entries, at most 100.");
        if (conversionWindow is { } window) definition = definition with { ConversionWindow = window };
        errors.AddRange(definition.Validate());
        return errors.Count > 0 ? null : definition;
    }

    private static JourneyEntry? ReadEntry(JourneyEntryInput e, CampaignContract.Check check)
    {
        if (e.Type is null || !EntryTypes.Contains(e.Type))
        {
            check.Errors.Add($"entry.type: one of {string.Join(", ", EntryTypes)}.");
            return null;
        }

        LifecycleStage? stage = null;
        if (e.Stage is not null)
        {
            if (e.Stage.Length <= 32 && LifecycleStageNames.TryParse(e.Stage, out var parsed)) stage = parsed;
            else check.Errors.Add("entry.stage: one of new, active, loyal, at_risk, lapsed.");
        }

        return new JourneyEntry((JourneyEntryKind)Array.IndexOf(EntryTypes, e.Type))
        {
            Segment = check.Text(e.Segment, "entry.segment", 64),
            Stage = stage,
            Event = check.Text(e.Event, "entry.event", 200),
            Geofence = check.Text(e.Geofence, "entry.geofence", 64),
        };
    }

    private static JourneyStep? ReadStep(JourneyStepInput? s, string path, CampaignContract.Check check)
    {
        if (s is null)
        {
            check.Errors.Add($"{path}: must be an object.");
            return null;
        }

        if (s.Type is null || !StepTypes.Contains(s.Type))
        {
            check.Errors.Add($"{path}.type: one of {string.Join(", ", StepTypes)}.");
            return null;
        }

        TimeOnly? localTime = null;
        if (s.UntilLocalTime is not null)
        {
            if (s.UntilLocalTime.Length <= 5 && TimeOnly.TryParseExact(s.UntilLocalTime, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var t)) localTime = t;
            else check.Errors.Add($"{path}.untilLocalTime: a local time such as 09:00.");
        }

        var rules = new List<JourneyBranchPath>();
        for (int i = 0; i < (s.Rules?.Length ?? 0); i++)
        {
            var r = s.Rules![i];
            if (r?.Rule is null || r.Next is null) check.Errors.Add($"{path}.rules[{i}]: needs \"rule\" and \"next\".");
            else rules.Add(new JourneyBranchPath(check.Text(r.Rule, $"{path}.rules[{i}].rule", 4000) ?? "", check.Text(r.Next, $"{path}.rules[{i}].next", 64) ?? ""));
        }

        var split = new List<JourneySplitPath>();
        for (int i = 0; i < (s.Split?.Length ?? 0); i++)
        {
            var p = s.Split![i];
            if (p?.Percent is null || p.Next is null) check.Errors.Add($"{path}.split[{i}]: needs \"percent\" and \"next\".");
            else split.Add(new JourneySplitPath(check.Finite(p.Percent.Value, $"{path}.split[{i}].percent"), check.Text(p.Next, $"{path}.split[{i}].next", 64) ?? ""));
        }

        return new JourneyStep(check.Text(s.Id, $"{path}.id", 64) ?? "", (JourneyStepKind)Array.IndexOf(StepTypes, s.Type))
        {
            Message = s.Message is { } m ? CampaignContract.ReadMessage(m, check, $"{path}.message.") : null,
            Variants = [.. CampaignContract.ReadVariants(s.Variants, check, $"{path}.variants")],
            Next = check.Text(s.Next, $"{path}.next", 64),
            Duration = check.Duration(s.Duration, $"{path}.duration"),
            UntilLocalTime = localTime,
            UntilEvent = check.Text(s.UntilEvent, $"{path}.untilEvent", 200),
            Timeout = check.Duration(s.Timeout, $"{path}.timeout"),
            TimedOut = check.Text(s.TimedOut, $"{path}.timedOut", 64),
            Rules = [.. rules],
            Split = [.. split],
            Default = check.Text(s.Otherwise, $"{path}.otherwise", 64),
        };
    }

    /// <summary>The definition in the contract's shape (what <c>GET /v1/journeys/{id}</c> shows as its definition).</summary>
    public static JourneyInput Write(JourneyDefinition d) => new(
        Id: d.Id,
        Name: d.Name,
        Category: d.Category == MessageCategory.Transactional ? "transactional" : "marketing",
        Priority: d.Priority.ToString().ToLowerInvariant(),
        Entry: new JourneyEntryInput(EntryTypes[(int)d.Entry.Kind], d.Entry.Segment, d.Entry.Stage?.ToWire(), d.Entry.Event, d.Entry.Geofence),
        Audience: d.AudienceRule is null ? null : new AudienceInput(Rule: d.AudienceRule),
        Reentry: new JourneyReentryInput(d.Reentry, d.ReentryAfter is { } after ? DurationText.Write(after) : null),
        EntryLimitPerDay: d.EntryLimitPerDay,
        Exits: [.. d.Exits.Select(x => new JourneyExitInput(ExitTypes[(int)x.Kind], x.Event, x.Segment))],
        Conversion: d.ConversionEvent is null ? null : new ConversionInput(d.ConversionEvent, DurationText.Write(d.ConversionWindow)),
        Start: d.Start,
        Steps: [.. d.Steps.Select(s => new JourneyStepInput(
            Id: s.Id,
            Type: StepTypes[(int)s.Kind],
            Message: s.Message is { } m ? CampaignContract.Write(m) : null,
            Next: s.Next,
            Duration: s.Duration is { } duration ? DurationText.Write(duration) : null,
            UntilLocalTime: s.UntilLocalTime?.ToString("HH:mm", CultureInfo.InvariantCulture),
            UntilEvent: s.UntilEvent,
            Timeout: s.Timeout is { } timeout ? DurationText.Write(timeout) : null,
            TimedOut: s.TimedOut,
            Rules: s.Rules.Length == 0 ? null : [.. s.Rules.Select(r => new JourneyRuleInput(r.Rule, r.Next))],
            Split: s.Split.Length == 0 ? null : [.. s.Split.Select(p => new JourneySplitInput(p.Percent, p.Next))],
            Otherwise: s.Default,
            Variants: s.Variants.Length == 0 ? null : [.. s.Variants.Select(v => new VariantInput(v.Name, v.Percent, CampaignContract.Write(v.Message)))]))],
        MoveUsers: d.MoveUsers is null ? null : new Dictionary<string, string>(d.MoveUsers, StringComparer.Ordinal));
}
