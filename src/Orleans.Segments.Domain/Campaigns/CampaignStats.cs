namespace Orleans.Segments.Domain.Campaigns;

/// <summary>A campaign's counts per arm.</summary>
[GenerateSerializer, Alias("segments.CampaignStats")]
public sealed class CampaignStats
{
    /// <summary>How many hours of <see cref="Hours"/> are kept: 7 days.</summary>
    public const int HoursKept = 7 * 24;

    [Id(0)] public Dictionary<string, VariantStats> Variants { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Sends, opens, conversions and opt-outs per UTC hour, the latest <see cref="HoursKept"/> hours, oldest first.</summary>
    [Id(1)] public List<HourCounts> Hours { get; set; } = [];

    public void Add(CampaignReport report)
    {
        if (!Variants.TryGetValue(report.Variant, out var stats)) Variants[report.Variant] = stats = new VariantStats();
        stats.Add(report);
        if (report.At != default && report.Kind is ReportKind.Sent or ReportKind.Opened or ReportKind.Converted or ReportKind.OptedOut)
        {
            if (HourOf(report.At) is { } hour) hour.Add(report.Kind);
        }
    }

    public void Merge(CampaignStats other)
    {
        foreach (var (variant, stats) in other.Variants)
        {
            if (!Variants.TryGetValue(variant, out var mine)) Variants[variant] = mine = new VariantStats();
            mine.Merge(stats);
        }

        foreach (var hour in other.Hours)
        {
            var mine = Hours.Find(h => h.Hour == hour.Hour);
            if (mine is null) Hours.Add(new HourCounts { Hour = hour.Hour, Sent = hour.Sent, Opened = hour.Opened, Converted = hour.Converted, OptedOut = hour.OptedOut });
            else mine.Merge(hour);
        }

        Hours.Sort(static (a, b) => a.Hour.CompareTo(b.Hour));
    }

    /// <summary>The counts of the hour of <paramref name="at"/>, added if new; null when older than every hour kept.</summary>
    private HourCounts? HourOf(DateTime at)
    {
        long hour = at.Ticks / TimeSpan.TicksPerHour;
        if (Hours.Count > 0 && Hours[^1].Hour == hour) return Hours[^1];
        var known = Hours.Find(h => h.Hour == hour);
        if (known is not null) return known;
        long newest = Hours.Count == 0 ? hour : Math.Max(hour, Hours[^1].Hour);
        if (hour <= newest - HoursKept) return null;
        var added = new HourCounts { Hour = hour };
        Hours.Add(added);
        Hours.Sort(static (a, b) => a.Hour.CompareTo(b.Hour));
        Hours.RemoveAll(h => h.Hour <= newest - HoursKept);
        return added;
    }

    /// <summary>All arms together.</summary>
    public VariantStats Total()
    {
        var total = new VariantStats();
        foreach (var stats in Variants.Values) total.Merge(stats);
        return total;
    }

    /// <summary>The arms that were sent something (the holdout and the app's control group are never sent anything).</summary>
    public VariantStats Treated()
    {
        var total = new VariantStats();
        foreach (var (variant, stats) in Variants)
        {
            if (variant is not (VariantAssigner.Holdout or VariantAssigner.Control)) total.Merge(stats);
        }

        return total;
    }
}
