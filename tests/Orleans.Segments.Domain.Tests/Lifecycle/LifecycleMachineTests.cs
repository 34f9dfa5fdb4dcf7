using Microsoft.Extensions.Time.Testing;
using Orleans.Segments.Domain.Behaviour;
using Orleans.Segments.Domain.Lifecycle;

namespace Orleans.Segments.Domain.Tests.Lifecycle;

public sealed class LifecycleMachineTests
{
    private static readonly TimeSpan Tick = TimeSpan.FromTicks(1);

    private readonly FakeTimeProvider time = new(new DateTimeOffset(2025, 3, 1, 9, 30, 0, TimeSpan.Zero));

    private readonly LifecyclePolicy policy = new();

    private readonly ActivityLog activity = new();

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    [Fact]
    public void UserNeverSeenHasNoStageAndNoNextChange()
    {
        Assert.Null(LifecycleMachine.StageAt(activity, null, Now, policy));
        Assert.Null(LifecycleMachine.NextChange(activity, null, Now, policy));
    }

    [Fact]
    public void NewUserBecomesActiveExactlySevenDaysAfterFirstSeen()
    {
        var first = Now;
        activity.Record(first);
        activity.Record(first + TimeSpan.FromDays(5));

        Assert.Equal(LifecycleStage.New, LifecycleMachine.StageAt(activity, null, first + TimeSpan.FromDays(7) - Tick, policy));
        Assert.Equal(LifecycleStage.Active, LifecycleMachine.StageAt(activity, null, first + TimeSpan.FromDays(7), policy));
        Assert.Equal(first + TimeSpan.FromDays(7), LifecycleMachine.NextChange(activity, null, first + TimeSpan.FromDays(5), policy));
    }

    [Fact]
    public void SilentActiveUserDriftsToAtRiskThenLapsedAtTheirExactMoments()
    {
        var first = Now;
        var state = new LifecycleState();
        foreach (int day in new[] { 0, 6, 8 }) activity.Record(first + TimeSpan.FromDays(day));
        var lastSeen = first + TimeSpan.FromDays(8);
        LifecycleMachine.Reevaluate(state, activity, null, lastSeen, policy);
        Assert.Equal(LifecycleStage.Active, state.Stage);

        LifecycleMachine.AdvanceTo(state, activity, null, lastSeen + TimeSpan.FromDays(40), policy);

        Assert.Equal(
            [
                new LifecycleTransition(null, LifecycleStage.Active, lastSeen),
                new LifecycleTransition(LifecycleStage.Active, LifecycleStage.AtRisk, lastSeen + TimeSpan.FromDays(7)),
                new LifecycleTransition(LifecycleStage.AtRisk, LifecycleStage.Lapsed, lastSeen + TimeSpan.FromDays(30)),
            ],
            state.History);
        Assert.Equal(LifecycleStage.Lapsed, state.Stage);
        Assert.Equal(lastSeen + TimeSpan.FromDays(30), state.Since);
        Assert.Equal(lastSeen + TimeSpan.FromDays(40), state.EvaluatedAt);
    }

    [Fact]
    public void AdvanceToRecordsNothingBeforeTheNextChangeIsDue()
    {
        var state = new LifecycleState();
        activity.Record(Now);
        LifecycleMachine.Reevaluate(state, activity, null, Now, policy);

        LifecycleMachine.AdvanceTo(state, activity, null, Now + TimeSpan.FromDays(7) - Tick, policy);

        Assert.Equal(LifecycleStage.New, state.Stage);
        Assert.Single(state.History);
    }

    [Fact]
    public void ThreeLoyalEventsWithinNinetyDaysMakeAUserLoyalUntilTheOldestLeaves()
    {
        var first = Now;
        var orders = new EventCounter();
        foreach (int day in new[] { 0, 5, 10 })
        {
            orders.Add(first + TimeSpan.FromDays(day), null, first + TimeSpan.FromDays(day));
            activity.Record(first + TimeSpan.FromDays(day));
        }

        for (int day = 15; day <= 85; day += 5) activity.Record(first + TimeSpan.FromDays(day));
        var now = first + TimeSpan.FromDays(85);

        Assert.Equal(LifecycleStage.Loyal, LifecycleMachine.StageAt(activity, orders, now, policy));
        Assert.Equal(first + TimeSpan.FromDays(90), LifecycleMachine.NextChange(activity, orders, now, policy));
        Assert.Equal(LifecycleStage.Loyal, LifecycleMachine.StageAt(activity, orders, first + TimeSpan.FromDays(90) - Tick, policy));
        Assert.Equal(LifecycleStage.Active, LifecycleMachine.StageAt(activity, orders, first + TimeSpan.FromDays(90), policy));
    }

    [Fact]
    public void TwelveActiveDaysWithinThirtyMakeAUserLoyal()
    {
        var first = Now;
        for (int day = 0; day < 11; day++) activity.Record(first + TimeSpan.FromDays(day));
        Assert.Equal(LifecycleStage.Active, LifecycleMachine.StageAt(activity, null, first + TimeSpan.FromDays(10), policy));

        activity.Record(first + TimeSpan.FromDays(11));

        Assert.Equal(LifecycleStage.Loyal, LifecycleMachine.StageAt(activity, null, first + TimeSpan.FromDays(11), policy));
    }

    [Fact]
    public void LoyaltyByActiveDaysEndsWhenTheOldestDayLeavesTheWindow()
    {
        var first = Now;
        for (int day = 0; day < 12; day++) activity.Record(first + TimeSpan.FromDays(day));
        for (int day = 15; day <= 30; day += 3) activity.Record(first + TimeSpan.FromDays(day));
        var now = first + TimeSpan.FromDays(30);

        // On day 30 the window holds days 1..11 and 15..30 every third day: 17. Each day leaves it 30 days after
        // it began, so the count falls below 12 when day 6 leaves, at the start of day 36.
        Assert.Equal(LifecycleStage.Loyal, LifecycleMachine.StageAt(activity, null, now, policy));
        var next = LifecycleMachine.NextChange(activity, null, now, policy);

        var dayStart = DayNumber.Start(DayNumber.Of(first) + 30 + 6);
        Assert.Equal(dayStart, next);
        Assert.Equal(LifecycleStage.Active, LifecycleMachine.StageAt(activity, null, dayStart, policy));
    }

    [Fact]
    public void LapsedUserReturningBecomesActive()
    {
        var first = Now;
        var state = new LifecycleState();
        activity.Record(first);
        LifecycleMachine.Reevaluate(state, activity, null, first, policy);
        LifecycleMachine.AdvanceTo(state, activity, null, first + TimeSpan.FromDays(60), policy);
        Assert.Equal(LifecycleStage.Lapsed, state.Stage);

        var back = first + TimeSpan.FromDays(60);
        activity.Record(back);
        bool changed = LifecycleMachine.Reevaluate(state, activity, null, back, policy);

        Assert.True(changed);
        Assert.Equal(new LifecycleTransition(LifecycleStage.Lapsed, LifecycleStage.Active, back), state.History[^1]);
    }

    [Fact]
    public void CustomThresholdsAreRespected()
    {
        var custom = new LifecyclePolicy { NewFor = TimeSpan.FromDays(1), AtRiskAfter = TimeSpan.FromDays(2), LapsedAfter = TimeSpan.FromDays(5) };
        var first = Now;
        var state = new LifecycleState();
        activity.Record(first);
        LifecycleMachine.Reevaluate(state, activity, null, first, custom);

        LifecycleMachine.AdvanceTo(state, activity, null, first + TimeSpan.FromDays(10), custom);

        Assert.Equal(
            [
                new LifecycleTransition(null, LifecycleStage.New, first),
                new LifecycleTransition(LifecycleStage.New, LifecycleStage.Active, first + TimeSpan.FromDays(1)),
                new LifecycleTransition(LifecycleStage.Active, LifecycleStage.AtRisk, first + TimeSpan.FromDays(2)),
                new LifecycleTransition(LifecycleStage.AtRisk, LifecycleStage.Lapsed, first + TimeSpan.FromDays(5)),
            ],
            state.History);
    }

    [Fact]
    public void CustomLoyalThresholdIsRespected()
    {
        var custom = new LifecyclePolicy { LoyalMinEvents = 1, LoyalEventWindow = TimeSpan.FromDays(10) };
        var orders = new EventCounter();
        orders.Add(Now, null, Now);
        activity.Record(Now);

        Assert.Equal(LifecycleStage.Loyal, LifecycleMachine.StageAt(activity, orders, Now, custom));
        Assert.Equal(LifecycleStage.New, LifecycleMachine.StageAt(activity, orders, Now, policy));
        Assert.Equal(Now + TimeSpan.FromDays(7), LifecycleMachine.NextChange(activity, orders, Now, custom));
    }

    [Fact]
    public void HistoryKeepsOnlyTheConfiguredNumberOfTransitions()
    {
        var custom = new LifecyclePolicy { HistoryLength = 2 };
        var state = new LifecycleState();
        activity.Record(Now);
        LifecycleMachine.Reevaluate(state, activity, null, Now, custom);

        LifecycleMachine.AdvanceTo(state, activity, null, Now + TimeSpan.FromDays(40), custom);

        Assert.Equal([LifecycleStage.AtRisk, LifecycleStage.Lapsed], state.History.Select(t => t.To));
    }

    [Fact]
    public void AdvanceToOnAnUnseenUserOnlyMovesTheEvaluationTime()
    {
        var state = new LifecycleState();

        LifecycleMachine.AdvanceTo(state, activity, null, Now, policy);

        Assert.Null(state.Stage);
        Assert.Empty(state.History);
        Assert.Equal(Now, state.EvaluatedAt);
    }
}
