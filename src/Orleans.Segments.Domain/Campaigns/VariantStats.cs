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

    public long SuppressedTotal => Suppressed.Values.Sum();

    public long FailedTotal => Failed.Values.Sum();

    public long Pending => Targeted - Sent - SuppressedTotal - FailedTotal;

    public void Add(CampaignReport report)
    {
        switch (report.Kind)
        {
            case ReportKind.Targeted: Targeted++; break;
            case ReportKind.Sent: Sent++; break;
            case ReportKind.Suppressed: Increment(Suppressed, report.Reason ?? "unknown"); break;
            case ReportKind.Failed: Increment(Failed, report.Reason ?? "unknown"); break;
            case ReportKind.Opened: Opened++; break;
            case ReportKind.Converted: Converted++; break;
            case ReportKind.OptedOut: OptedOut++; break;
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
    }

    private static void Increment(Dictionary<string, long> counts, string key, long by = 1) =>
        counts[key] = counts.GetValueOrDefault(key) + by;
}
