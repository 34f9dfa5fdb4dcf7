namespace Orleans.Segments.Domain.Campaigns;

/// <summary>A campaign's counts per arm.</summary>
[GenerateSerializer, Alias("segments.CampaignStats")]
public sealed class CampaignStats
{
    [Id(0)] public Dictionary<string, VariantStats> Variants { get; set; } = new(StringComparer.Ordinal);

    public void Add(CampaignReport report)
    {
        if (!Variants.TryGetValue(report.Variant, out var stats)) Variants[report.Variant] = stats = new VariantStats();
        stats.Add(report);
    }

    public void Merge(CampaignStats other)
    {
        foreach (var (variant, stats) in other.Variants)
        {
            if (!Variants.TryGetValue(variant, out var mine)) Variants[variant] = mine = new VariantStats();
            mine.Merge(stats);
        }
    }

    /// <summary>All arms together.</summary>
    public VariantStats Total()
    {
        var total = new VariantStats();
        foreach (var stats in Variants.Values) total.Merge(stats);
        return total;
    }

    /// <summary>The arms that were sent something (the holdout is never sent anything).</summary>
    public VariantStats Treated()
    {
        var total = new VariantStats();
        foreach (var (variant, stats) in Variants)
        {
            if (variant != VariantAssigner.Holdout) total.Merge(stats);
        }

        return total;
    }
}
