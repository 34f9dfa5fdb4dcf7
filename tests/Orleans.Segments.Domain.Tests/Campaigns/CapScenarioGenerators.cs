using FsCheck;
using FsCheck.Fluent;
using Orleans.Segments.Domain.Campaigns;

namespace Orleans.Segments.Domain.Tests.Campaigns;

/// <summary>
/// Random <see cref="CapScenario"/>s: 1–3 consistent app caps, a minimum gap of 0 or some minutes, a
/// high-priority reserve of 0–2, campaigns "a", "b" and "c" with no cap, n per window or n ever, and up to 60
/// steps. Time jumps land exactly on (and a tick beside) the scenario's windows, and now and then past the
/// 90 days a ledger keeps.
/// </summary>
internal static class CapScenarioGenerators
{
    public const int MaxSteps = 60;

    public static readonly string[] Tokens = ["ios-token", "android-token"];

    private static readonly string[] CampaignIds = ["a", "b", "c"];

    private static readonly TimeSpan[] AppWindows =
        [TimeSpan.FromHours(1), TimeSpan.FromHours(6), TimeSpan.FromDays(1), TimeSpan.FromDays(3), TimeSpan.FromDays(7), TimeSpan.FromDays(30), TimeSpan.FromDays(90)];

    private static readonly TimeSpan[] CampaignWindows =
        [TimeSpan.FromHours(1), TimeSpan.FromDays(1), TimeSpan.FromDays(7), TimeSpan.FromDays(30), TimeSpan.FromDays(90)];

    public static Arbitrary<CapScenario> Scenarios(bool quietHours) => Arb.From(
        from caps in Policy
        from quiet in quietHours ? QuietHours : Gen.Constant(new QuietHours { Enabled = false })
        from campaigns in Gen.ArrayOf(CampaignCap, CampaignIds.Length)
        let windows = caps.Marketing.Select(r => r.Window).Append(caps.MinimumGap)
            .Concat(campaigns.Select(c => c?.Window ?? TimeSpan.Zero)).Where(w => w > TimeSpan.Zero).Distinct().ToArray()
        from length in Gen.Choose(1, MaxSteps)
        from steps in Gen.ArrayOf(Step(windows), length)
        select new CapScenario(caps, quiet, CampaignIds.Zip(campaigns).ToDictionary(c => c.First, CampaignCap? (c) => c.Second), steps),
        Shorter);

    /// <summary>Why: a failure found after 60 steps is read far more easily after 6.</summary>
    private static IEnumerable<CapScenario> Shorter(CapScenario scenario)
    {
        var steps = scenario.Steps;
        if (steps.Count > 1) yield return scenario.WithSteps(steps.Take(steps.Count / 2));
        for (int i = steps.Count - 1; i >= 0; i--)
        {
            yield return scenario.WithSteps(steps.Where((_, j) => j != i));
        }
    }

    private static Gen<CapPolicy> Policy =>
        from count in Gen.Choose(1, 3)
        from windows in Gen.Shuffle(AppWindows)
        from limits in Gen.ArrayOf(Gen.Choose(1, 5), count)
        from gap in Gen.Elements(0, 0, 0, 5, 30, 180)
        from reserve in Gen.Choose(0, 2)
        select new CapPolicy
        {
            // Why: sorting both keeps the caps consistent (a longer window never allows fewer pushes).
            Marketing = windows.Take(count).Order().Zip(limits.Order(), (w, l) => new CapRule { Window = w, Limit = l }).ToList(),
            MinimumGap = TimeSpan.FromMinutes(gap),
            HighPriorityReserve = reserve,
        };

    private static Gen<QuietHours> QuietHours =>
        from start in Gen.Choose(0, 47)
        from end in Gen.Choose(0, 47)
        select new QuietHours
        {
            Start = TimeOnly.FromTimeSpan(TimeSpan.FromMinutes(30 * start)),
            End = TimeOnly.FromTimeSpan(TimeSpan.FromMinutes(30 * end)),
            DefaultTimeZone = "UTC",
            Enabled = true,
        };

    private static Gen<CampaignCap?> CampaignCap => Gen.Frequency(
        (2, Gen.Constant<CampaignCap?>(null)),
        (2, from limit in Gen.Choose(1, 3) from window in Gen.Elements(CampaignWindows) select (CampaignCap?)new CampaignCap(limit, window)),
        (1, from limit in Gen.Choose(1, 3) select (CampaignCap?)new CampaignCap(limit, null)));

    /// <summary>Why consents and devices come back more often than they go: a user who cannot be reached tests no cap.</summary>
    private static Gen<CapStep> Step(TimeSpan[] windows) => Gen.Frequency(
        (10, Request),
        (6, Advance(windows)),
        (1, from category in Gen.Elements(MessageCategory.Marketing, MessageCategory.Transactional)
            from given in Gen.Elements(true, true, false)
            select (CapStep)new ConsentStep(category, given)),
        (1, from token in Gen.Elements(Tokens)
            from added in Gen.Elements(true, true, false)
            select (CapStep)new DeviceStep(token, added)));

    private static Gen<CapStep> Request =>
        from campaign in Gen.Elements(CampaignIds)
        from occurrence in Gen.Choose(1, 6)
        from category in Gen.Frequency((3, Gen.Constant(MessageCategory.Marketing)), (1, Gen.Constant(MessageCategory.Transactional)))
        from priority in Gen.Elements(MessagePriority.Low, MessagePriority.Normal, MessagePriority.High)
        from ttl in Gen.Elements(TimeSpan.FromHours(1), TimeSpan.FromHours(6), TimeSpan.FromDays(1))
        from lateness in Gen.Elements(TimeSpan.Zero, TimeSpan.Zero, TimeSpan.FromMinutes(30), TimeSpan.FromHours(5))
        select (CapStep)new RequestStep(campaign, occurrence.ToString(), category, priority, ttl, lateness);

    private static Gen<CapStep> Advance(TimeSpan[] windows) => Gen.Frequency(
        (2, Gen.Constant(TimeSpan.Zero)),
        (4, Gen.Choose(1, 59).Select(m => TimeSpan.FromMinutes(m))),
        (4, Gen.Choose(1, 23).Select(h => TimeSpan.FromHours(h))),
        (2, Gen.Choose(1, 10 * 24).Select(h => TimeSpan.FromHours(h))),
        (4, from window in Gen.Elements(windows)
            from ticks in Gen.Elements(-1L, 0L, 0L, 1L)
            select window + TimeSpan.FromTicks(ticks)),
        (1, Gen.Choose(85, 95).Select(d => TimeSpan.FromDays(d))))
        .Select(by => (CapStep)new AdvanceStep(by));
}
