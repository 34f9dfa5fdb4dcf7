using Orleans.Segments.Domain.Events;
using Orleans.Segments.Domain.Segments;

namespace Orleans.Segments.Domain.Tests.Segments;

public sealed class NextChangeTests
{
    private static readonly TimeSpan Tick = TimeSpan.FromTicks(1);

    [Fact]
    public void CountWindowChangesWhenTheOldestOccurrenceLeavesIt()
    {
        var user = new TestUser(Segments.Environment(("buyers", """count("Order Completed", 30d) >= 3""")));
        var first = user.Now;
        user.Does("Order Completed").Waits(TimeSpan.FromDays(1)).Does("Order Completed").Waits(TimeSpan.FromDays(1)).Does("Order Completed");

        Assert.Equal(first + TimeSpan.FromDays(30), NextChange(user));
        Assert.True(user.Holds("""count("Order Completed", 30d) >= 3"""));
    }

    [Fact]
    public void CountWindowThatStillHoldsWithoutTheOldestChangesWhenEnoughHaveLeft()
    {
        var user = new TestUser(Segments.Environment(("buyers", """count("Order Completed", 7d) >= 2""")));
        user.Does("Order Completed").Waits(TimeSpan.FromDays(1)).Does("Order Completed").Waits(TimeSpan.FromDays(1));
        var third = user.Now;
        user.Does("Order Completed");

        Assert.Equal(third - TimeSpan.FromDays(1) + TimeSpan.FromDays(7), NextChange(user));
    }

    [Fact]
    public void GreaterThanSinceLastChangesOneTickAfterTheThreshold()
    {
        var user = new TestUser(Segments.Environment(("dormant", """since_last("Application Opened") > 14d""")));
        var opened = user.Now;
        user.Does("Application Opened");

        Assert.Equal(opened + TimeSpan.FromDays(14) + Tick, NextChange(user));
    }

    [Fact]
    public void AtLeastSinceLastChangesAtTheThreshold()
    {
        var user = new TestUser(Segments.Environment(("dormant", """since_last("Application Opened") >= 14d""")));
        var opened = user.Now;
        user.Does("Application Opened");

        Assert.Equal(opened + TimeSpan.FromDays(14), NextChange(user));
    }

    [Fact]
    public void LessThanSinceLastEndsAtTheThreshold()
    {
        var user = new TestUser(Segments.Environment(("engaged", """since_last("Application Opened") < 2h""")));
        var opened = user.Now;
        user.Does("Application Opened");

        Assert.Equal(opened + TimeSpan.FromHours(2), NextChange(user));
    }

    [Fact]
    public void TimeInStageChangesWhenItReachesTheThreshold()
    {
        var user = new TestUser(Segments.Environment(("settled", "time_in_stage >= 3d")));
        var first = user.Now;
        user.Does("Application Opened").Waits(TimeSpan.FromDays(1)).Does("Application Opened");

        Assert.Equal(first + TimeSpan.FromDays(3), NextChange(user));
    }

    [Fact]
    public void StageSegmentChangesWhenTheLifecycleDoes()
    {
        var user = new TestUser(Segments.Environment(("newcomers", """stage = "new" """)));
        var first = user.Now;
        user.Does("Application Opened").Waits(TimeSpan.FromDays(1)).Does("Application Opened");

        Assert.Equal(first + TimeSpan.FromDays(7), NextChange(user));
    }

    [Fact]
    public void LifecycleChangesThatDoNotMoveTheSegmentAreSkipped()
    {
        var user = new TestUser(Segments.Environment(("at-risk", """stage = "at_risk" """)));
        user.Does("Application Opened").Waits(TimeSpan.FromDays(1));
        var last = user.Now;
        user.Does("Application Opened");

        // New turns active at day 7 without changing this segment; the user is at risk 7 days after day 1.
        Assert.Equal(last + TimeSpan.FromDays(7), NextChange(user));
    }

    [Fact]
    public void RuleThatTimeCannotChangeHasNoNextChange()
    {
        var user = new TestUser(Segments.Environment(("reachable", """has_push_token and trait("plan") = "pro" """)));
        user.RegistersDevice();

        Assert.Null(NextChange(user));
    }

    [Fact]
    public void EventNeverDoneHasNoNextChange()
    {
        var user = new TestUser(Segments.Environment(("never-refunded", """since_last("Refund Requested") > 14d""")));
        user.Does("Application Opened");

        Assert.Null(NextChange(user));
    }

    [Fact]
    public void EventStampedAheadOfTheClockRestartsSinceLastWhenItsTimeComes()
    {
        var user = new TestUser(Segments.Environment(("dormant", """since_last("Application Opened") > 14d""")));
        user.Does("Application Opened").Waits(TimeSpan.FromDays(20));
        var ahead = user.Now + TimeSpan.FromHours(12);

        user.Send(user.Event(EventKind.Track) with { Name = "Application Opened", Timestamp = ahead });

        Assert.True(user.Holds("""since_last("Application Opened") > 14d"""));
        Assert.Equal(ahead, NextChange(user));
    }

    [Fact]
    public void EventStampedAheadOfTheClockEntersTheCountWindowWhenItsTimeComes()
    {
        var user = new TestUser(Segments.Environment(("buyers", """count("Order Completed", 1d) >= 1""")));
        user.Does("Application Opened");
        var ahead = user.Now + TimeSpan.FromHours(12);

        user.Send(user.Event(EventKind.Track) with { Name = "Order Completed", Timestamp = ahead });

        Assert.False(user.Holds("""count("Order Completed", 1d) >= 1"""));
        Assert.Equal(ahead, NextChange(user));
    }

    private static DateTime? NextChange(TestUser user) =>
        user.Environment.Segments.NextChange(user.State, user.Now, user.Policy);
}
