using Microsoft.Extensions.Time.Testing;
using Orleans.Segments.Domain.Events;
using Orleans.Segments.Domain.Lifecycle;
using Orleans.Segments.Domain.Profile;
using static Orleans.Segments.Domain.Tests.Profile.UserEvents;

namespace Orleans.Segments.Domain.Tests.Profile;

public sealed class ProfileLifecycleTests
{
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2025, 3, 1, 9, 30, 0, TimeSpan.Zero));

    private readonly UserProfileState state = new();

    private readonly DateTime start;

    public ProfileLifecycleTests() => start = Now;

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    [Fact]
    public void FirstEventMakesTheUserNew()
    {
        var result = OnDay(0, "App Opened");

        Assert.Equal([new LifecycleTransition(null, LifecycleStage.New, start)], result.Transitions);
    }

    [Fact]
    public void NewUserBecomesActiveSevenDaysAfterFirstSeen()
    {
        OnDay(0, "App Opened");
        OnDay(5, "App Opened");
        Assert.Equal(Day(7), ProfileUpdater.NextTimeDrivenChange(state, Now, UserModelPolicy.Default));

        time.SetUtcNow(Day(7));
        var transitions = ProfileUpdater.Advance(state, Now, UserModelPolicy.Default).Transitions;

        Assert.Equal([new LifecycleTransition(LifecycleStage.New, LifecycleStage.Active, Day(7))], transitions);
    }

    [Fact]
    public void SilentActiveUserDriftsToAtRiskThenLapsedInOneAdvance()
    {
        OnDay(0, "App Opened");
        OnDay(6, "App Opened");
        OnDay(8, "App Opened");
        Assert.Equal(LifecycleStage.Active, state.Lifecycle.Stage);

        time.Advance(TimeSpan.FromDays(40));
        var transitions = ProfileUpdater.Advance(state, Now, UserModelPolicy.Default).Transitions;

        Assert.Equal(
            [
                new LifecycleTransition(LifecycleStage.Active, LifecycleStage.AtRisk, Day(8 + 7)),
                new LifecycleTransition(LifecycleStage.AtRisk, LifecycleStage.Lapsed, Day(8 + 30)),
            ],
            transitions);
        Assert.Null(ProfileUpdater.NextTimeDrivenChange(state, Now, UserModelPolicy.Default));
    }

    [Fact]
    public void ThreeOrdersInNinetyDaysMakeTheUserLoyalUntilTheOldestLeaves()
    {
        OnDay(0, "Order Completed");
        OnDay(5, "Order Completed");
        var third = OnDay(10, "Order Completed");
        Assert.Equal(new LifecycleTransition(LifecycleStage.Active, LifecycleStage.Loyal, Day(10)), third.Transitions[^1]);

        for (int day = 15; day <= 85; day += 5) OnDay(day, "App Opened");
        Assert.Equal(LifecycleStage.Loyal, state.Lifecycle.Stage);
        Assert.Equal(Day(90), ProfileUpdater.NextTimeDrivenChange(state, Now, UserModelPolicy.Default));

        time.SetUtcNow(Day(90) - TimeSpan.FromTicks(1));
        Assert.Empty(ProfileUpdater.Advance(state, Now, UserModelPolicy.Default).Transitions);
        time.SetUtcNow(Day(90));
        var transitions = ProfileUpdater.Advance(state, Now, UserModelPolicy.Default).Transitions;

        Assert.Equal([new LifecycleTransition(LifecycleStage.Loyal, LifecycleStage.Active, Day(90))], transitions);
    }

    [Fact]
    public void TwelveActiveDaysInThirtyMakeTheUserLoyal()
    {
        for (int day = 0; day < 11; day++) OnDay(day, "App Opened");
        Assert.Equal(LifecycleStage.Active, state.Lifecycle.Stage);

        OnDay(11, "App Opened");

        Assert.Equal(LifecycleStage.Loyal, state.Lifecycle.Stage);
    }

    [Fact]
    public void LapsedUserReturningBecomesActive()
    {
        OnDay(0, "App Opened");

        var back = OnDay(40, "App Opened");

        Assert.Equal(
            [
                new LifecycleTransition(LifecycleStage.New, LifecycleStage.AtRisk, Day(7)),
                new LifecycleTransition(LifecycleStage.AtRisk, LifecycleStage.Lapsed, Day(30)),
                new LifecycleTransition(LifecycleStage.Lapsed, LifecycleStage.Active, Day(40)),
            ],
            back.Transitions);
    }

    [Fact]
    public void CustomThresholdsAreRespected()
    {
        var policy = new UserModelPolicy
        {
            Lifecycle = new LifecyclePolicy
            {
                AtRiskAfter = TimeSpan.FromDays(2),
                LapsedAfter = TimeSpan.FromDays(4),
                LoyalEvent = "Subscription Renewed",
                LoyalMinEvents = 1,
            },
        };
        ProfileUpdater.Apply(state, [Track("Subscription Renewed", Now)], Now, policy);
        Assert.Equal(LifecycleStage.Loyal, state.Lifecycle.Stage);

        time.Advance(TimeSpan.FromDays(5));
        var transitions = ProfileUpdater.Advance(state, Now, policy).Transitions;

        Assert.Equal(
            [
                new LifecycleTransition(LifecycleStage.Loyal, LifecycleStage.AtRisk, Day(2)),
                new LifecycleTransition(LifecycleStage.AtRisk, LifecycleStage.Lapsed, Day(4)),
            ],
            transitions);
    }

    [Fact]
    public void LateEventDoesNotMoveLastSeenBack()
    {
        OnDay(0, "App Opened");
        OnDay(10, "App Opened");

        ProfileUpdater.Apply(state, [Track("Late", Day(3))], Now, UserModelPolicy.Default);

        Assert.Equal(Day(10), state.Activity.LastSeen);
        Assert.Equal(Day(17), ProfileUpdater.NextTimeDrivenChange(state, Now, UserModelPolicy.Default));
    }

    [Fact]
    public void OnlyTheNewTransitionIsReportedOnceTheHistoryIsFull()
    {
        // Every 10 days away then back: active -> at_risk (time) -> active (event), two transitions per cycle.
        for (int day = 0; day < 300; day += 10) OnDay(day, "App Opened");
        Assert.Equal(UserModelPolicy.Default.Lifecycle.HistoryLength, state.Lifecycle.History.Count);

        time.SetUtcNow(Day(300));
        var wake = ProfileUpdater.Advance(state, Now, UserModelPolicy.Default);
        var back = OnDay(301, "App Opened");

        Assert.Equal([new Orleans.Segments.Domain.Lifecycle.LifecycleTransition(Orleans.Segments.Domain.Lifecycle.LifecycleStage.Active, Orleans.Segments.Domain.Lifecycle.LifecycleStage.AtRisk, Day(297))], wake.Transitions);
        Assert.Single(back.Transitions);
    }

    private DateTime Day(double day) => start + TimeSpan.FromDays(day);

    /// <summary>Moves the clock to <paramref name="day"/> and applies one track event happening then.</summary>
    private ApplyResult OnDay(int day, string name)
    {
        time.SetUtcNow(Day(day));
        return ProfileUpdater.Apply(state, [Track(name, Now)], Now, UserModelPolicy.Default);
    }
}
