using Microsoft.Extensions.Time.Testing;
using Orleans.Segments.Domain.Events;
using Orleans.Segments.Domain.Journeys;
using Orleans.Segments.Domain.Profile;

namespace Orleans.Segments.Domain.Tests.Journeys;

/// <summary>The step machine: every step type, waits across DST, events at the edge of a wait, exits, re-entry, versions.</summary>
public sealed class JourneyMachineTests
{
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 3, 2, 12, 0, 0, TimeSpan.Zero));
    private readonly UserProfileState state = new();

    public JourneyMachineTests() => ProfileUpdater.SetSubscriptions(state, marketing: true, transactional: true, Now);

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    private JourneyAdvance Advance(JourneyDefinition journey, JourneyPosition position, JourneyEvent? e = null) =>
        JourneyMachine.Advance(journey, position, new JourneyContext("ada", state, Now, UserModelPolicy.Default) { Event = e });

    private static string[] Trail(JourneyAdvance advance) =>
        [.. advance.Effects.Select(e => e.Kind switch
        {
            JourneyEffectKind.Moved => $"{e.StepId} -{e.Path}-> {e.To}",
            JourneyEffectKind.Message => $"send {e.StepId}",
            JourneyEffectKind.Waiting => $"wait at {e.StepId}",
            _ => $"exit at {e.StepId}: {e.Reason}",
        })];

    private void Track(string name) => ProfileUpdater.Apply(state, [new UserEvent(EventKind.Track, Guid.NewGuid().ToString("N"), Now) { Name = name }], Now, UserModelPolicy.Default);

    [Fact]
    public void TheOnboardingJourneySendsWelcomeThenATipOnDayOneThenAnOfferOnDayThree()
    {
        var journey = JourneyDefinitionTests.Onboarding();
        var position = JourneyMachine.Enter(journey, 1, Now);

        var entered = Advance(journey, position);
        time.Advance(TimeSpan.FromDays(1));
        var dayOne = Advance(journey, position);
        time.Advance(TimeSpan.FromDays(2));
        var dayThree = Advance(journey, position);

        Assert.Equal(["send welcome", "welcome -next-> day1", "wait at day1"], Trail(entered));
        Assert.Equal(Now.AddDays(-2), entered.WakeAt);
        Assert.Equal(["day1 -next-> viewed", "viewed -otherwise-> tip", "send tip", "tip -next-> day3", "wait at day3"], Trail(dayOne));
        Assert.Equal(["day3 -timed_out-> offer", "send offer", "offer -next-> bought", "exit at bought: completed"], Trail(dayThree));
        Assert.Equal(JourneyMachine.Completed, dayThree.ExitReason);
    }

    [Fact]
    public void AUserWhoViewedAProductSkipsTheTipAndOneWhoBuysLeavesAtOnce()
    {
        var journey = JourneyDefinitionTests.Onboarding();
        var position = JourneyMachine.Enter(journey, 1, Now);
        Advance(journey, position);
        Track("Product Viewed");

        time.Advance(TimeSpan.FromDays(1));
        var dayOne = Advance(journey, position);
        time.Advance(TimeSpan.FromHours(5));
        var bought = Advance(journey, position, new JourneyEvent("Order Completed", Now));

        Assert.Equal(["day1 -next-> viewed", "viewed -rules[0]-> day3", "wait at day3"], Trail(dayOne));
        Assert.Equal(["exit at day3: event:Order Completed"], Trail(bought));
    }

    [Fact]
    public void AnEventWaitTakesTheHappenedPathForTheAwaitedEventOnly()
    {
        var journey = JourneyDefinitionTests.Onboarding() with { Exits = [] };
        var position = new JourneyPosition { JourneyId = journey.Id, StepId = "day3", StepSince = Now, EnteredAt = Now };

        var other = Advance(journey, position, new JourneyEvent("Product Viewed", Now));
        time.Advance(TimeSpan.FromHours(1));
        var awaited = Advance(journey, position, new JourneyEvent("Order Completed", Now));

        Assert.Equal(["wait at day3"], Trail(other));
        Assert.Equal(["day3 -happened-> bought", "exit at bought: completed"], Trail(awaited));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void AnEventAtTheExactEndOfAWaitIsTooLateWhicheverIsProcessedFirst(bool wakeFirst)
    {
        var journey = JourneyDefinitionTests.Onboarding() with { Exits = [] };
        var position = new JourneyPosition { JourneyId = journey.Id, StepId = "day3", StepSince = Now, EnteredAt = Now };
        Advance(journey, position);
        time.Advance(TimeSpan.FromDays(2));
        var atTheEnd = new JourneyEvent("Order Completed", Now);

        var first = wakeFirst ? Advance(journey, position) : Advance(journey, position, atTheEnd);

        Assert.Equal("day3 -timed_out-> offer", Trail(first)[0]);
    }

    [Fact]
    public void AnEventJustBeforeTheEndCountsEvenWhenProcessedAfterIt()
    {
        var journey = JourneyDefinitionTests.Onboarding() with { Exits = [] };
        var position = new JourneyPosition { JourneyId = journey.Id, StepId = "day3", StepSince = Now, EnteredAt = Now };
        Advance(journey, position);
        var justBefore = Now.AddDays(2).AddTicks(-1);
        time.Advance(TimeSpan.FromDays(2).Add(TimeSpan.FromSeconds(3)));

        var advance = Advance(journey, position, new JourneyEvent("Order Completed", justBefore));

        Assert.Equal("day3 -happened-> bought", Trail(advance)[0]);
    }

    [Fact]
    public void AnEventFromBeforeTheWaitBeganDoesNotCount()
    {
        var journey = JourneyDefinitionTests.Onboarding() with { Exits = [] };
        var position = new JourneyPosition { JourneyId = journey.Id, StepId = "day3", StepSince = Now, EnteredAt = Now };

        var advance = Advance(journey, position, new JourneyEvent("Order Completed", Now.AddMinutes(-1)));

        Assert.Equal(["wait at day3"], Trail(advance));
    }

    [Fact]
    public void ALateWakeMovesTheUserOnAsOfTheWaitsEndSoTheNextWaitIsNotStretched()
    {
        var journey = TwoWaits();
        var position = JourneyMachine.Enter(journey, 1, Now);
        var start = Now;
        Advance(journey, position);

        time.Advance(TimeSpan.FromHours(1.5));
        var late = Advance(journey, position);

        Assert.Equal(["first -next-> second", "wait at second"], Trail(late));
        Assert.Equal(start.AddHours(2), late.WakeAt);
    }

    [Fact]
    public void AWaitUntilNineInTheMorningLocalTimeIsDstCorrect()
    {
        // 2026-03-08 is the spring-forward day in New York: 09:00 is 14:00 UTC before it and 13:00 UTC after it.
        state.TimeZone = "America/New_York";
        time.SetUtcNow(new DateTimeOffset(2026, 3, 7, 15, 0, 0, TimeSpan.Zero));
        var journey = Until(new TimeOnly(9, 0));
        var position = JourneyMachine.Enter(journey, 1, Now);

        var advance = Advance(journey, position);

        Assert.Equal(new DateTime(2026, 3, 8, 13, 0, 0, DateTimeKind.Utc), advance.WakeAt);
    }

    [Fact]
    public void AWaitUntilATimeInTheSpringForwardGapEndsAtTheFirstValidMinute()
    {
        state.TimeZone = "America/New_York";
        time.SetUtcNow(new DateTimeOffset(2026, 3, 7, 20, 0, 0, TimeSpan.Zero));
        var journey = Until(new TimeOnly(2, 30));
        var position = JourneyMachine.Enter(journey, 1, Now);

        var advance = Advance(journey, position);

        // 02:30 does not exist on 2026-03-08 in New York; 03:00 EDT = 07:00 UTC.
        Assert.Equal(new DateTime(2026, 3, 8, 7, 0, 0, DateTimeKind.Utc), advance.WakeAt);
    }

    [Fact]
    public void AUserWithoutAZoneWaitsInTheAppsDefaultZone()
    {
        var journey = Until(new TimeOnly(9, 0));
        var position = JourneyMachine.Enter(journey, 1, Now);

        Assert.Equal(new DateTime(2026, 3, 3, 9, 0, 0, DateTimeKind.Utc), Advance(journey, position).WakeAt);
    }

    [Fact]
    public void ARandomSplitIsDeterministicPerUserAndCloseToItsPercentages()
    {
        var journey = Split(30, 70);
        int first = 0;
        for (int u = 0; u < 10_000; u++)
        {
            string path = Path($"user-{u}");
            Assert.Equal(path, Path($"user-{u}"));
            if (path == "split[0]") first++;
        }

        Assert.InRange(first, 2_800, 3_200);

        string Path(string user)
        {
            var position = JourneyMachine.Enter(journey, 1, Now);
            var advance = JourneyMachine.Advance(journey, position, new JourneyContext(user, state, Now, UserModelPolicy.Default));
            return advance.Effects[0].Path!;
        }
    }

    [Fact]
    public void WithdrawingMarketingConsentTakesTheUserOutOfAMarketingJourney()
    {
        var journey = JourneyDefinitionTests.Onboarding() with { Exits = [new JourneyExitCondition(JourneyExitKind.ConsentWithdrawn)] };
        var position = JourneyMachine.Enter(journey, 1, Now);
        Advance(journey, position);

        ProfileUpdater.SetSubscriptions(state, marketing: false, transactional: null, Now);
        var advance = Advance(journey, position);

        Assert.Equal("consent_withdrawn", advance.ExitReason);
        Assert.Equal("day1", advance.Effects[0].StepId);
    }

    [Fact]
    public void AUserNotAskedForConsentYetOrWhoDeclinedBeforeEnteringStaysIn()
    {
        var journey = JourneyDefinitionTests.Onboarding() with { Exits = [new JourneyExitCondition(JourneyExitKind.ConsentWithdrawn)] };
        var notAsked = new UserProfileState();
        var declined = new UserProfileState();
        ProfileUpdater.SetSubscriptions(declined, marketing: false, transactional: null, Now.AddDays(-1));

        var first = JourneyMachine.Enter(journey, 1, Now);
        var second = JourneyMachine.Enter(journey, 1, Now);
        var a = JourneyMachine.Advance(journey, first, new JourneyContext("a", notAsked, Now, UserModelPolicy.Default));
        var b = JourneyMachine.Advance(journey, second, new JourneyContext("b", declined, Now, UserModelPolicy.Default));

        Assert.Null(a.ExitReason);
        Assert.Null(b.ExitReason);
        Assert.Equal("day1", first.StepId);
    }

    [Fact]
    public void LeavingASegmentTakesTheUserOut()
    {
        var journey = JourneyDefinitionTests.Onboarding() with { Exits = [new JourneyExitCondition(JourneyExitKind.SegmentExit) { Segment = "trial" }] };
        state.Segments["trial"] = Now;
        var position = JourneyMachine.Enter(journey, 1, Now);
        Advance(journey, position);

        state.Segments.Remove("trial");

        Assert.Equal("left_segment:trial", Advance(journey, position).ExitReason);
    }

    [Fact]
    public void AnExitEventWinsOverAMessageStepDueAtTheSameMoment()
    {
        var journey = JourneyDefinitionTests.Onboarding();
        var position = JourneyMachine.Enter(journey, 1, Now);

        var advance = Advance(journey, position, new JourneyEvent("Order Completed", Now));

        Assert.Equal(["exit at welcome: event:Order Completed"], Trail(advance));
    }

    [Fact]
    public void ReentryIsNeverByDefaultOrAfterTheStatedDuration()
    {
        var never = JourneyDefinitionTests.Onboarding();
        var later = never with { Reentry = true, ReentryAfter = TimeSpan.FromDays(30) };
        var left = Now.AddDays(-10);

        Assert.Null(JourneyMachine.CannotEnter(never, inJourney: false, lastLeftAt: null, Now));
        Assert.Equal("already_in_journey", JourneyMachine.CannotEnter(never, inJourney: true, lastLeftAt: null, Now));
        Assert.Equal("reentry_not_allowed", JourneyMachine.CannotEnter(never, inJourney: false, left, Now));
        Assert.Equal("reentry_too_soon", JourneyMachine.CannotEnter(later, inJourney: false, left, Now));
        Assert.Null(JourneyMachine.CannotEnter(later, inJourney: false, left, Now.AddDays(20)));
        Assert.Null(JourneyMachine.CannotEnter(never with { Reentry = true }, inJourney: false, left, Now));
    }

    [Fact]
    public void AUserInFlightMovesToTheNewVersionByStepIdOrMappingAndExitsIfTheStepWasRemoved()
    {
        var v1 = JourneyDefinitionTests.Onboarding();
        var v2 = v1 with { Steps = [.. v1.Steps.Where(s => s.Id != "tip").Select(s => s.Id == "viewed" ? s with { Default = "day3" } : s)] };
        var atDay1 = new JourneyPosition { JourneyId = v1.Id, Version = 1, StepId = "day1", StepSince = Now, WaitUntil = Now.AddDays(1) };
        var atTip = new JourneyPosition { JourneyId = v1.Id, Version = 1, StepId = "tip", StepSince = Now };
        var mapped = new JourneyPosition { JourneyId = v1.Id, Version = 1, StepId = "tip", StepSince = Now };

        Assert.Null(JourneyMachine.Migrate(atDay1, v2, 2));
        Assert.Equal(JourneyMachine.StepRemoved, JourneyMachine.Migrate(atTip, v2, 2));
        Assert.Null(JourneyMachine.Migrate(mapped, v2, 2, new Dictionary<string, string> { ["tip"] = "day3" }));

        Assert.Equal((2, "day1", (DateTime?)null), (atDay1.Version, atDay1.StepId, atDay1.WaitUntil));
        Assert.Equal("day3", mapped.StepId);
        Assert.Empty(v2.Validate());
    }

    [Fact]
    public void AStepRemovedUnderAUserMakesThemExitWithThatReason()
    {
        var journey = JourneyDefinitionTests.Onboarding();
        var position = new JourneyPosition { JourneyId = journey.Id, StepId = "gone", StepSince = Now };

        Assert.Equal(JourneyMachine.StepRemoved, Advance(journey, position).ExitReason);
    }

    private static JourneyDefinition TwoWaits() => new(
        "two-waits", "Two waits", new JourneyEntry(JourneyEntryKind.Api), "first",
        [
            new JourneyStep("first", JourneyStepKind.Wait) { Duration = TimeSpan.FromHours(1), Next = "second" },
            new JourneyStep("second", JourneyStepKind.Wait) { Duration = TimeSpan.FromHours(1), Next = "end" },
            new JourneyStep("end", JourneyStepKind.Exit),
        ]);

    private static JourneyDefinition Until(TimeOnly at) => new(
        "morning", "Morning", new JourneyEntry(JourneyEntryKind.Api), "nine",
        [
            new JourneyStep("nine", JourneyStepKind.Wait) { UntilLocalTime = at, Next = "end" },
            new JourneyStep("end", JourneyStepKind.Exit),
        ]);

    private static JourneyDefinition Split(double first, double second) => new(
        "split", "Split", new JourneyEntry(JourneyEntryKind.Api), "ab",
        [
            new JourneyStep("ab", JourneyStepKind.Branch) { Split = [new(first, "a"), new(second, "b")] },
            new JourneyStep("a", JourneyStepKind.Exit),
            new JourneyStep("b", JourneyStepKind.Exit),
        ]);
}
