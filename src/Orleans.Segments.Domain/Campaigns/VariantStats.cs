namespace Orleans.Segments.Domain.Campaigns;

/// <summary>
/// The counts of one arm (variant or holdout) of a campaign. Every targeted user ends in exactly one of sent,
/// suppressed or failed, or is still pending (held for quiet hours or a delay), so
/// targeted = sent + suppressed + failed + pending.
/// </summary>
[GenerateSerializer, Alias("segments.VariantStats")]
public sealed class VariantStats
{
    [Id(0)] public long Targeted { get; set; }

    [Id(1)] public long Sent { get; set; }

    [Id(2)] public Dictionary<string, long> Suppressed { get; set; } = new(StringComparer.Ordinal);

    [Id(3)] public Dictionary<string, long> Failed { get; set; } = new(StringComparer.Ordinal);

    [Id(4)] public long Opened { get; set; }

    [Id(5)] public long Converted { get; set; }

    [Id(6)] public long OptedOut { get; set; }

    /// <summary>Journeys: users who entered (the version's <c>*</c> arm).</summary>
    [Id(7)] public long Entered { get; set; }

    /// <summary>Journeys: users who reached the step.</summary>
    [Id(8)] public long Reached { get; set; }

    /// <summary>Journeys: users who moved on from the step, per path.</summary>
    [Id(9)] public Dictionary<string, long> Moved { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Journeys: users who left the journey at the step, per reason.</summary>
    [Id(10)] public Dictionary<string, long> Exited { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Journeys: users who moved on from the step by a path and then converted within the journey's window, per path.</summary>
    [Id(11)] public Dictionary<string, long> ConvertedByPath { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Messages sent, per translation (its language tag, or <c>default</c>).</summary>
    [Id(12)] public Dictionary<string, long> SentByLanguage { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Pushes opened, per translation sent.</summary>
    [Id(13)] public Dictionary<string, long> OpenedByLanguage { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Pushed users who converted, per translation sent.</summary>
    [Id(14)] public Dictionary<string, long> ConvertedByLanguage { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Journeys: users at the step now (reached it and neither moved on nor left).</summary>
    public long AtStep => Reached - Moved.Values.Sum() - Exited.Values.Sum();

    public long SuppressedTotal => Suppressed.Values.Sum();

    public long FailedTotal => Failed.Values.Sum();

    public long Pending => Targeted - Sent - SuppressedTotal - FailedTotal;

    public void Add(CampaignReport report)
    {
        switch (report.Kind)
        {
            case ReportKind.Targeted: Targeted++; break;
            case ReportKind.Sent:
                Sent++;
                if (report.Reason is { } sentIn) Increment(SentByLanguage, sentIn);
                break;
            case ReportKind.Suppressed: Increment(Suppressed, report.Reason ?? "unknown"); break;
            case ReportKind.Failed: Increment(Failed, report.Reason ?? "unknown"); break;
            case ReportKind.Opened:
                Opened++;
                if (report.Reason is { } openedIn) Increment(OpenedByLanguage, openedIn);
                break;
            case ReportKind.Converted:
                Converted++;
                if (report.Reason is { } convertedIn) Increment(ConvertedByLanguage, convertedIn);
                break;
            case ReportKind.OptedOut: OptedOut++; break;
            case ReportKind.Entered: Entered++; break;
            case ReportKind.Reached: Reached++; break;
            case ReportKind.Moved: Increment(Moved, report.Reason ?? "next"); break;
            case ReportKind.Exited: Increment(Exited, report.Reason ?? "unknown"); break;
            case ReportKind.PathConverted: Increment(ConvertedByPath, report.Reason ?? "next"); break;
        }
    }

    public void Merge(VariantStats other)
    {
        Targeted += other.Targeted;
        Sent += other.Sent;
        Opened += other.Opened;
        Converted += other.Converted;
        OptedOut += other.OptedOut;
        foreach (var (reason, count) in other.Suppressed) Increment(Suppressed, reason, count);
        foreach (var (reason, count) in other.Failed) Increment(Failed, reason, count);
        Entered += other.Entered;
        Reached += other.Reached;
        foreach (var (path, count) in other.Moved) Increment(Moved, path, count);
        foreach (var (reason, count) in other.Exited) Increment(Exited, reason, count);
        foreach (var (path, count) in other.ConvertedByPath) Increment(ConvertedByPath, path, count);
        foreach (var (language, count) in other.SentByLanguage) Increment(SentByLanguage, language, count);
        foreach (var (language, count) in other.OpenedByLanguage) Increment(OpenedByLanguage, language, count);
        foreach (var (language, count) in other.ConvertedByLanguage) Increment(ConvertedByLanguage, language, count);
    }

    private static void Increment(Dictionary<string, long> counts, string key, long by = 1) =>
        counts[key] = counts.GetValueOrDefault(key) + by;
}
