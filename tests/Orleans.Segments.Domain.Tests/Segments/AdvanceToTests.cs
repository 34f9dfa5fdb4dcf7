using Orleans.Segments.Domain.Events;
using Orleans.Segments.Domain.Profile;
using Orleans.Segments.Domain.Segments;

namespace Orleans.Segments.Domain.Tests.Segments;

public sealed class AdvanceToTests
{
    private static readonly TimeSpan Tick = TimeSpan.FromTicks(1);

    [Fact]
    public void RecordsTheExitWhenTheOldestOrderLeavesTheWindow()
    {
        var user = new TestUser(Segments.Environment(("buyers", """count("Order Completed", 30d) >= 3""")));
        var first = user.Now;
        user.Does("Order Completed").Waits(TimeSpan.FromDays(1)).Does("Order Completed").Waits(TimeSpan.FromDays(1)).Does("Order Completed");
        Assert.Equal(first + TimeSpan.FromDays(2), user.State.Segments["buyers"]);

        var changes = AdvanceTo(user, first + TimeSpan.FromDays(40));

        Assert.Equal([new MembershipTransition("buyers", false, first + TimeSpan.FromDays(30))], changes);
        Assert.Empty(user.State.Segments);
        Assert.Equal(changes[^1], user.State.SegmentHistory[^1]);
    }

    [Fact]
    public void RecordsTheEntryOfADormantUserOneTickAfterFourteenDays()
    {
        var user = new TestUser(Segments.Environment(("dormant", """since_last("Application Opened") > 14d""")));
        var opened = user.Now;
        user.Does("Application Opened");

        var changes = AdvanceTo(user, opened + TimeSpan.FromDays(20));

        Assert.Equal([new MembershipTransition("dormant", true, opened + TimeSpan.FromDays(14) + Tick)], changes);
        Assert.Equal(opened + TimeSpan.FromDays(14) + Tick, user.State.Segments["dormant"]);
    }

    [Fact]
    public void RecordsNothingBeforeTheChangeIsDue()
    {
        var user = new TestUser(Segments.Environment(("buyers", """count("Order Completed", 30d) >= 1""")));
        var ordered = user.Now;
        user.Does("Order Completed");

        var changes = AdvanceTo(user, ordered + TimeSpan.FromDays(30) - Tick);

        Assert.Empty(changes);
        Assert.Contains("buyers", user.State.Segments.Keys);
    }

    [Fact]
    public void RecordsChangesOfSeveralSegmentsInTheOrderTheyHappen()
    {
        var user = new TestUser(Segments.Environment(
            ("buyers", """count("Order Completed", 7d) >= 2"""),
            ("quiet", """since_last("Order Completed") > 3d"""),
            ("newcomers", """stage = "new" """)));
        var first = user.Now;
        user.Does("Order Completed").Waits(TimeSpan.FromDays(1)).Does("Order Completed");

        var changes = AdvanceTo(user, first + TimeSpan.FromDays(30));

        Assert.Equal(
            [
                new MembershipTransition("quiet", true, first + TimeSpan.FromDays(4) + Tick),
                new MembershipTransition("buyers", false, first + TimeSpan.FromDays(7)),
                new MembershipTransition("newcomers", false, first + TimeSpan.FromDays(7)),
            ],
            changes);
    }

    [Fact]
    public void SegmentNamingATimeDrivenSegmentMovesWithItAtTheSameInstant()
    {
        var user = new TestUser(Segments.Environment(
            ("dormant", """since_last("Application Opened") > 14d"""),
            ("dormant-vips", """in_segment("dormant") and trait("vip") = true""")));
        var opened = user.Now;
        user.Does("Application Opened").Identifies("vip", TraitValue.Of(true, user.Now));

        var changes = AdvanceTo(user, opened + TimeSpan.FromDays(15));

        var entered = opened + TimeSpan.FromDays(14) + Tick;
        Assert.Equal([new MembershipTransition("dormant", true, entered), new MembershipTransition("dormant-vips", true, entered)], changes);
    }

    [Fact]
    public void ManyChangesInOneAdvanceStillEndWithTheMembershipsOfNow()
    {
        string days = string.Join(", ", Enumerable.Range(1, 20).Select(d => $"{d}d"));
        var user = new TestUser(Segments.Environment(("on-a-whole-day", $"since_last_seen in ({days})")));
        var seen = user.Now;
        user.Does("Application Opened");

        var changes = AdvanceTo(user, seen + TimeSpan.FromDays(20));

        Assert.Equal(SegmentEvaluator.MaxSteps, changes.Count(c => c.At < seen + TimeSpan.FromDays(20)));
        Assert.Equal(new MembershipTransition("on-a-whole-day", true, seen + TimeSpan.FromDays(20)), changes[^1]);
        Assert.Contains("on-a-whole-day", user.State.Segments.Keys);
    }

    [Fact]
    public void ProfileAdvanceAppliesTheChangesDueAndNamesTheNextOne()
    {
        var user = new TestUser(Segments.Environment(("buyers", """count("Order Completed", 30d) >= 2""")));
        var first = user.Now;
        user.Does("Order Completed").Waits(TimeSpan.FromDays(10)).Does("Order Completed");

        var result = ProfileUpdater.Advance(user.State, first + TimeSpan.FromDays(31), user.Policy, user.Environment);

        Assert.Equal([new MembershipTransition("buyers", false, first + TimeSpan.FromDays(30))], result.SegmentChanges);

        // The second order leaving the window changes no segment; the lifecycle's lapse 30 days after it is next.
        var next = ProfileUpdater.NextTimeDrivenChange(user.State, first + TimeSpan.FromDays(31), user.Policy, user.Environment);
        Assert.Equal(first + TimeSpan.FromDays(40), next);
    }

    private static List<MembershipTransition> AdvanceTo(TestUser user, DateTime now)
    {
        var changes = new List<MembershipTransition>();
        SegmentEvaluator.AdvanceTo(user.State, user.Environment.Segments, now, user.Policy, changes);
        return changes;
    }
}
