using Orleans.Segments.Domain.Campaigns;

namespace Orleans.Segments.Domain.Tests.Campaigns;

/// <summary>
/// An app's caps and quiet hours, each campaign's own cap, and what happens to one user from
/// <see cref="Start"/> on: requests to push, the clock moving, consents and devices changing.
/// </summary>
public sealed record CapScenario(CapPolicy Caps, QuietHours QuietHours, IReadOnlyDictionary<string, CampaignCap?> Campaigns, IReadOnlyList<CapStep> Steps)
{
    public static readonly DateTime Start = new(2026, 3, 2, 12, 0, 0, DateTimeKind.Utc);

    public SendRequest Request(RequestStep step, DateTime now) =>
        new(step.Campaign, step.Occurrence, step.Category, step.Priority)
        {
            CampaignLimit = Campaigns[step.Campaign]?.Limit,
            CampaignWindow = Campaigns[step.Campaign]?.Window,
            TimeToLive = step.TimeToLive,
            DueAt = now - step.Lateness,
        };

    public CapScenario WithSteps(IEnumerable<CapStep> steps) => this with { Steps = steps.ToArray() };

    public override string ToString()
    {
        var lines = new List<string>
        {
            "app caps: " + string.Join(", ", Caps.Marketing.Select(r => $"{r.Limit} per {r.Window}")) +
                $"; minimum gap {Caps.MinimumGap}; high-priority reserve {Caps.HighPriorityReserve}",
            QuietHours.Enabled ? $"quiet hours {QuietHours.Start}–{QuietHours.End} {QuietHours.DefaultTimeZone}" : "no quiet hours",
            "campaign caps: " + string.Join(", ", Campaigns.Select(c => $"{c.Key}: {c.Value?.ToString() ?? "none"}")),
        };
        lines.AddRange(Steps.Select((s, i) => $"  {i}: {s}"));
        return Environment.NewLine + string.Join(Environment.NewLine, lines);
    }
}
