using Orleans.Segments.Domain.Campaigns;
using Orleans.Segments.Domain.Events;
using Orleans.Segments.Domain.Lifecycle;
using Orleans.Segments.Domain.Profile;
using Orleans.Segments.Domain.Segments;

namespace Orleans.Segments.Domain.Tests.Campaigns;

public sealed class CampaignSetTests
{
    private static readonly DateTime Now = new(2026, 3, 2, 12, 0, 0, DateTimeKind.Utc);
    private static readonly CampaignMessage Hello = new("Hi", "There");

    private static LiveCampaign Running(string id, CampaignTrigger trigger, Func<CampaignDefinition, CampaignDefinition>? change = null)
    {
        var definition = new CampaignDefinition(id, id, MessageCategory.Marketing, Hello, trigger);
        return new LiveCampaign(change?.Invoke(definition) ?? definition, CampaignStatus.Running);
    }

    private static TriggerCauses Causes(
        UserEvent[]? events = null, MembershipTransition[]? segments = null, LifecycleTransition[]? stages = null, MembershipTransition[]? fences = null) =>
        new(events ?? [], segments ?? [], stages ?? [], fences ?? []);

    [Fact]
    public void EachKindOfTriggerFiresWithADeterministicOccurrence()
    {
        var set = new CampaignSet(1,
        [
            Running("on-order", new CampaignTrigger(TriggerKind.Event) { Event = "Order Completed" }),
            Running("on-vip", new CampaignTrigger(TriggerKind.SegmentEntry) { Segment = "vip", Delay = TimeSpan.FromHours(2) }),
            Running("on-risk", new CampaignTrigger(TriggerKind.Lifecycle) { Stage = "at_risk" }),
            Running("on-station", new CampaignTrigger(TriggerKind.GeofenceEntry) { Geofence = "station" }),
        ]);
        var state = new UserProfileState();
        var order = new UserEvent(EventKind.Track, "m-1", Now) { Name = "Order Completed" };

        var sends = set.Triggered(state, Now, UserModelPolicy.Default, Causes(
            events: [order, new UserEvent(EventKind.Track, "m-2", Now) { Name = "Product Viewed" }],
            segments: [new MembershipTransition("vip", true, Now.AddMinutes(-1)), new MembershipTransition("other", true, Now)],
            stages: [new LifecycleTransition(LifecycleStage.Active, LifecycleStage.AtRisk, Now)],
            fences: [new MembershipTransition("station", false, Now)]));

        Assert.Equal(["on-order", "on-risk", "on-vip"], sends.Select(s => s.CampaignId).Order());
        Assert.Equal("e:m-1", sends.Single(s => s.CampaignId == "on-order").Occurrence);
        Assert.Equal(Now.AddMinutes(-1).AddHours(2), sends.Single(s => s.CampaignId == "on-vip").DueAt);
    }

    [Fact]
    public void PausedCampaignsAndDatesOutsideTheWindowDoNotFire()
    {
        var trigger = new CampaignTrigger(TriggerKind.Event) { Event = "Order Completed" };
        var set = new CampaignSet(1,
        [
            new LiveCampaign(new CampaignDefinition("paused", "p", MessageCategory.Marketing, Hello, trigger), CampaignStatus.Paused),
            Running("ended", trigger, d => d with { EndAt = Now }),
            Running("future", trigger, d => d with { StartAt = Now.AddDays(1) }),
        ]);

        var sends = set.Triggered(new UserProfileState(), Now, UserModelPolicy.Default, Causes(events: [new UserEvent(EventKind.Track, "m", Now) { Name = "Order Completed" }]));

        Assert.Empty(sends);
        Assert.NotNull(set.Find("paused"));
    }

    [Fact]
    public void GeofenceCampaignRespectsItsCooldownAgainstTheLedger()
    {
        var set = new CampaignSet(1, [Running("near", new CampaignTrigger(TriggerKind.GeofenceEntry) { Geofence = "station", Cooldown = TimeSpan.FromDays(1) })]);
        var state = new UserProfileState();
        state.Sends.Add(new SendRecord("near", "g:1", MessageCategory.Marketing, Now.AddHours(-2), "n"), Now.AddHours(-2));
        var entry = Causes(fences: [new MembershipTransition("station", true, Now)]);

        var within = set.Triggered(state, Now, UserModelPolicy.Default, entry);
        var after = set.Triggered(state, Now.AddDays(1), UserModelPolicy.Default, Causes(fences: [new MembershipTransition("station", true, Now.AddDays(1))]));

        Assert.Empty(within);
        Assert.Single(after);
    }

    [Fact]
    public void AudienceRuleIsCheckedForTheUser()
    {
        var set = new CampaignSet(1, [Running("pro-only", new CampaignTrigger(TriggerKind.Event) { Event = "Order Completed" }, d => d with { AudienceRule = "trait(\"plan\") = \"pro\"" })]);
        var pro = new UserProfileState();
        pro.Traits["plan"] = TraitValue.Of("pro", Now);
        var order = Causes(events: [new UserEvent(EventKind.Track, "m", Now) { Name = "Order Completed" }]);

        Assert.Single(set.Triggered(pro, Now, UserModelPolicy.Default, order));
        Assert.Empty(set.Triggered(new UserProfileState(), Now, UserModelPolicy.Default, order));
    }

    [Fact]
    public void StatisticsOfEveryArmAddUp()
    {
        var stats = new CampaignStats();
        foreach (var (arm, kind, reason) in new[]
        {
            ("a", ReportKind.Targeted, null), ("a", ReportKind.Sent, null),
            ("a", ReportKind.Targeted, null), ("a", ReportKind.Suppressed, "capped"),
            ("b", ReportKind.Targeted, null), ("b", ReportKind.Failed, "Unregistered"),
            ("b", ReportKind.Targeted, null),
            ("holdout", ReportKind.Targeted, null), ("holdout", ReportKind.Suppressed, "holdout"), ("holdout", ReportKind.Converted, (string?)null),
            ("control", ReportKind.Targeted, null), ("control", ReportKind.Suppressed, "control_group"), ("control", ReportKind.Converted, (string?)null),
        })
        {
            stats.Add(new CampaignReport("c", arm, kind, reason));
        }

        var total = stats.Total();

        Assert.Equal(6, total.Targeted);
        Assert.Equal(4, stats.Treated().Targeted);
        Assert.Equal(1, total.Pending);
        Assert.Equal(total.Targeted, total.Sent + total.SuppressedTotal + total.FailedTotal + total.Pending);
        Assert.Equal(1, stats.Treated().Sent);
        Assert.Equal(0, stats.Treated().Converted);
        Assert.Equal(1, stats.Variants["holdout"].Converted);
        Assert.Equal(1, stats.Variants["control"].Converted);
    }
}
