namespace Orleans.Segments.Domain.Campaigns;

/// <summary>An app's frequency caps for marketing pushes. Bound from <c>Segments:Apps:&lt;appId&gt;:Caps</c>.</summary>
public sealed class CapPolicy
{
    /// <summary>The rolling caps, all of which must hold. Default: 3 per 24 hours and 10 per 7 days.</summary>
    public List<CapRule> Marketing { get; set; } = [new CapRule { Limit = 3, Window = TimeSpan.FromHours(24) }, new CapRule { Limit = 10, Window = TimeSpan.FromDays(7) }];

    /// <summary>The least time between any two pushes (marketing or not). Default: none.</summary>
    public TimeSpan MinimumGap { get; set; } = TimeSpan.Zero;

    /// <summary>
    /// Slots of every cap (with a limit of at least 2) that only high-priority messages may take: with the
    /// default, a normal message never takes the last slot, which stays for a high-priority one. Default: 1.
    /// </summary>
    public int HighPriorityReserve { get; set; } = 1;

    /// <summary>
    /// Whether silent (data-only) pushes take slots of the marketing caps and the minimum gap like marketing
    /// pushes. Default: false, since they show the user nothing.
    /// </summary>
    public bool SilentCountsAsMarketing { get; set; }

    public static CapPolicy Default { get; } = new();

    /// <summary>The first reason these caps contradict themselves, or null.</summary>
    public string? Validate()
    {
        if (Marketing.Any(r => r.Limit < 1 || r.Window <= TimeSpan.Zero)) return "every cap needs a limit of at least 1 and a positive window.";
        if (Marketing.Any(r => r.Window > TimeSpan.FromDays(90))) return "cap windows may be at most 90 days.";
        var ordered = Marketing.OrderBy(r => r.Window).ToList();
        for (int i = 1; i < ordered.Count; i++)
        {
            if (ordered[i].Limit < ordered[i - 1].Limit)
            {
                return $"a longer window cannot allow fewer pushes ({ordered[i].Limit} per {ordered[i].Window} < {ordered[i - 1].Limit} per {ordered[i - 1].Window}).";
            }
        }

        if (MinimumGap < TimeSpan.Zero) return "the minimum gap cannot be negative.";
        if (HighPriorityReserve < 0) return "the high-priority reserve cannot be negative.";
        return null;
    }
}
