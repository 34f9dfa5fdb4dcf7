namespace Orleans.Segments.Domain.Campaigns;

/// <summary>A campaign as a campaign manager defines it.</summary>
[GenerateSerializer, Immutable, Alias("segments.CampaignDefinition")]
public sealed record CampaignDefinition(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] MessageCategory Category,
    [property: Id(3)] CampaignMessage Message,
    [property: Id(4)] CampaignTrigger Trigger)
{
    /// <summary>The audience: a segment id. Null with no <see cref="AudienceRule"/> means everyone the trigger reaches.</summary>
    [Id(5)] public string? AudienceSegment { get; init; }

    /// <summary>An inline audience rule in the segment language.</summary>
    [Id(6)] public string? AudienceRule { get; init; }

    [Id(7)] public MessagePriority Priority { get; init; } = MessagePriority.Normal;

    /// <summary>A/B variants; their percentages add up to 100. Empty: everyone gets <see cref="Message"/>.</summary>
    [Id(8)] public VariantMessage[] Variants { get; init; } = [];

    /// <summary>The share of the audience held out (sent nothing) to measure the campaign's effect.</summary>
    [Id(9)] public double HoldoutPercent { get; init; }

    [Id(10)] public DateTime? StartAt { get; init; }

    [Id(11)] public DateTime? EndAt { get; init; }

    /// <summary>At most this many of this campaign's pushes per user per <see cref="CapWindow"/> (null window: ever).</summary>
    [Id(12)] public int? CapLimit { get; init; }

    [Id(13)] public TimeSpan? CapWindow { get; init; }

    /// <summary>The campaign's quiet hours instead of the app's.</summary>
    [Id(14)] public QuietHours? QuietHours { get; init; }

    /// <summary>How long a held message stays worth sending. Default: 1 day.</summary>
    [Id(15)] public TimeSpan TimeToLive { get; init; } = TimeSpan.FromDays(1);

    /// <summary>
    /// The most pushes per minute this campaign sends in a broadcast; 0 (the default) sets no limit of its own, so
    /// only the app's provider-protecting throttle (<see cref="CampaignPolicy.ThrottlePerMinute"/>) applies.
    /// </summary>
    [Id(16)] public int ThrottlePerMinute { get; init; }

    /// <summary>Whether the campaign limits its own broadcasts' pace.</summary>
    public bool IsThrottled => ThrottlePerMinute > 0;

    /// <summary>The event that counts as a conversion, e.g. <c>Order Completed</c>.</summary>
    [Id(17)] public string? ConversionEvent { get; init; }

    /// <summary>How long after a push a conversion is credited to it. Default: 3 days.</summary>
    [Id(18)] public TimeSpan ConversionWindow { get; init; } = TimeSpan.FromDays(3);

    /// <summary>Hold a message due in quiet hours until they end (default), or drop it.</summary>
    [Id(19)] public QuietHoursPolicy QuietHoursPolicy { get; init; } = QuietHoursPolicy.Hold;

    /// <summary>The opt-out guard pauses the campaign when more than this share of pushed users opt out. Default: 5 %.</summary>
    [Id(20)] public double OptOutThreshold { get; init; } = 0.05;

    /// <summary>The guard acts only after this many users were pushed. Default: 200.</summary>
    [Id(21)] public int OptOutMinimumSample { get; init; } = 200;

    /// <summary>The campaign id transactional messages (<c>/v1/messages</c>) are recorded under; no campaign may take it.</summary>
    public const string ReservedTransactionalId = "transactional";

    /// <summary>The message of an arm: the variant's, or <see cref="Message"/>.</summary>
    public CampaignMessage MessageFor(string? variant) =>
        Array.Find(Variants, v => v.Name == variant)?.Message ?? Message;

    /// <summary>The arms users are split into.</summary>
    public VariantSplit[] Splits() => VariantMessage.Splits(Variants);

    /// <summary>The user-grain request for one occurrence of this campaign.</summary>
    public SendRequest RequestFor(string occurrence, DateTime dueAt) =>
        new(Id, occurrence, Category, Priority)
        {
            CampaignLimit = CapLimit,
            CampaignWindow = CapWindow,
            QuietHours = QuietHours,
            TimeToLive = TimeToLive,
            DueAt = dueAt,
            DropInQuietHours = QuietHoursPolicy == QuietHoursPolicy.Drop,
        };

    /// <summary>Whether triggers may fire at <paramref name="at"/> (between the start and end dates).</summary>
    public bool ActiveAt(DateTime at) => (StartAt is not { } start || at >= start) && (EndAt is not { } end || at < end);

    /// <summary>Every segment and geofence the campaign names (for "in use" answers).</summary>
    public IEnumerable<(string Kind, string Id)> References()
    {
        if (AudienceSegment is not null) yield return ("segment", AudienceSegment);
        if (Trigger.Segment is not null) yield return ("segment", Trigger.Segment);
        if (Trigger.Geofence is not null) yield return ("geofence", Trigger.Geofence);
        if (AudienceRule is not null && Segments.RuleParser.Parse(AudienceRule) is { IsValid: true } rule)
        {
            foreach (string segment in rule.SegmentReferences) yield return ("segment", segment);
            foreach (string fence in rule.GeofenceReferences) yield return ("geofence", fence);
        }
    }

    /// <summary>Every problem with the definition itself (references to segments are checked by the catalog).</summary>
    public List<string> Validate()
    {
        var errors = new List<string>();
        if (Name.Length is 0 or > 200) errors.Add("name: 1 to 200 characters.");
        if (Id == ReservedTransactionalId) errors.Add($"id: '{ReservedTransactionalId}' is where /v1/messages records its messages; choose another id.");
        if (StartAt is { } startAt && Trigger.Kind == TriggerKind.Schedule && !Trigger.LocalTime && Trigger.At is { } once && once < startAt)
        {
            errors.Add("trigger.at: before startAt.");
        }
        if (Message.Validate(Category == MessageCategory.Silent) is { } message) errors.Add(message.StartsWith("a silent push", StringComparison.Ordinal) ? $"message: {message}" : $"message.{message}");
        if (Trigger.Validate() is { } trigger) errors.Add($"trigger: {trigger}");
        if (AudienceSegment is not null && AudienceRule is not null) errors.Add("audience: give a segment or a rule, not both.");
        if (AudienceRule is not null && Segments.RuleParser.Parse(AudienceRule) is { IsValid: false } rule) errors.Add($"audience.rule: {rule.Errors[0]}");
        if (Trigger.Kind is TriggerKind.Schedule or TriggerKind.Manual && AudienceSegment is null && AudienceRule is null)
        {
            errors.Add("audience: a broadcast needs a segment (or a rule).");
        }

        if (HoldoutPercent is < 0 or >= 100 || double.IsNaN(HoldoutPercent)) errors.Add("holdoutPercent: from 0 to less than 100.");
        VariantMessage.Validate(Variants, "variants", errors, Category == MessageCategory.Silent);

        if (StartAt is { } start && EndAt is { } end && end <= start) errors.Add("endAt: must be after startAt.");
        if (StartAt is { } first && !Calendar.InRange(first)) errors.Add($"startAt: must fall {Calendar.RangeText}.");
        if (EndAt is { } last && !Calendar.InRange(last)) errors.Add($"endAt: must fall {Calendar.RangeText}.");
        if (CapLimit is < 1) errors.Add("cap.limit: at least 1.");
        if (CapWindow is { } window && (window <= TimeSpan.Zero || window > TimeSpan.FromDays(90))) errors.Add("cap.window: more than 0 and at most 90 days.");
        if (TimeToLive <= TimeSpan.Zero || TimeToLive > TimeSpan.FromDays(28)) errors.Add("timeToLive: more than 0 and at most 28 days (APNs' and FCM's limit).");
        if (ThrottlePerMinute < 0) errors.Add("throttlePerMinute: at least 1 (leave it out for no campaign limit).");
        if (OptOutThreshold is <= 0 or > 1 || double.IsNaN(OptOutThreshold)) errors.Add("optOutGuard.threshold: more than 0 and at most 1.");
        if (OptOutMinimumSample < 1) errors.Add("optOutGuard.minimumSample: at least 1.");
        if (ConversionEvent is { Length: 0 or > 200 }) errors.Add("conversion.event: 1 to 200 characters.");
        if (ConversionWindow <= TimeSpan.Zero || ConversionWindow > TimeSpan.FromDays(30)) errors.Add("conversion.window: more than 0 and at most 30 days.");
        if (Category == MessageCategory.Transactional && Trigger.Kind is TriggerKind.Schedule or TriggerKind.Manual)
        {
            errors.Add("category: broadcasts are marketing; transactional messages go through /v1/messages or event triggers.");
        }

        return errors;
    }
}

/// <summary>One arm of an experiment: its share and its message.</summary>
[GenerateSerializer, Immutable, Alias("segments.VariantMessage")]
public sealed record VariantMessage(
    [property: Id(0)] string Name,
    [property: Id(1)] double Percent,
    [property: Id(2)] CampaignMessage Message)
{
    /// <summary>The problems of a message's variants (a campaign's, or a journey step's at <paramref name="path"/>).</summary>
    public static void Validate(VariantMessage[] variants, string path, List<string> errors, bool silent = false)
    {
        if (variants.Length == 0) return;
        if (variants.Length > 10) errors.Add($"{path}: at most 10.");
        if (Math.Abs(variants.Sum(v => v.Percent) - 100) > 0.001) errors.Add($"{path}: the percentages must add up to 100.");
        if (variants.Select(v => v.Name).Distinct().Count() != variants.Length) errors.Add($"{path}: names must differ.");
        foreach (var v in variants)
        {
            if (v.Percent <= 0) errors.Add($"{path}.{v.Name}: the percentage must be positive.");
            if (v.Message.Validate(silent) is { } problem) errors.Add($"{path}.{v.Name}.{problem}");
        }
    }

    /// <summary>Each variant's name and share, for <see cref="VariantAssigner"/>.</summary>
    public static VariantSplit[] Splits(VariantMessage[] variants) => variants.Select(v => new VariantSplit(v.Name, v.Percent)).ToArray();
}
