using Orleans.Segments.Campaigns;
using Orleans.Segments.Domain.Campaigns;
using Orleans.Segments.Domain.Events;
using Orleans.Segments.Domain.Journeys;
using Orleans.Segments.Journeys;
using Orleans.Segments.Users;

namespace Orleans.Segments.Grains.Tests;

/// <summary>Journeys walked in the user grains, with fake time driving their waits through the wake-up service.</summary>
[Collection(ClusterCollection.Name)]
public sealed class JourneyTests(ClusterFixture fixture)
{
    /// <summary>The app of these tests: quiet hours off, the default caps (3 marketing pushes a day, 10 a week).</summary>
    private const string App = "journeys";

    private static readonly CampaignMessage Hello = new("Welcome", "Hi {{ traits.first_name | default: \"there\" }}");

    private static string NewId(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>The onboarding example of the issue: welcome; a day later a tip unless they viewed a product; an offer if they did not buy within two more days; out as soon as they buy.</summary>
    internal static JourneyDefinition Onboarding(string id) => new(
        id,
        "Onboarding",
        new JourneyEntry(JourneyEntryKind.Event) { Event = SignedUp(id) },
        "welcome",
        [
            new JourneyStep("welcome", JourneyStepKind.Message) { Message = Hello, Next = "day1" },
            new JourneyStep("day1", JourneyStepKind.Wait) { Duration = TimeSpan.FromDays(1), Next = "viewed" },
            new JourneyStep("viewed", JourneyStepKind.Branch) { Rules = [new("count(\"Product Viewed\", 30d) > 0", "day3")], Default = "tip" },
            new JourneyStep("tip", JourneyStepKind.Message) { Message = new("A tip", "Browse the new arrivals"), Next = "day3" },
            new JourneyStep("day3", JourneyStepKind.Wait) { UntilEvent = "Order Completed", Timeout = TimeSpan.FromDays(2), Next = "bought", TimedOut = "offer" },
            new JourneyStep("offer", JourneyStepKind.Message) { Message = new("10 % off", "Your first order"), Next = "bought" },
            new JourneyStep("bought", JourneyStepKind.Exit),
        ])
    {
        Exits = [new JourneyExitCondition(JourneyExitKind.Event) { Event = "Order Completed" }],
        ConversionEvent = "Order Completed",
    };

    /// <summary>The entry event of one test's journey: every test's journeys stay live in the shared app, so each has its own.</summary>
    private static string SignedUp(string journeyId) => "Signed Up " + journeyId;

    private IJourneyGrain Journey(string id, string app = App) => fixture.Grains.GetGrain<IJourneyGrain>(JourneyGrain.Key(app, id));

    private async Task<IJourneyGrain> Launch(JourneyDefinition definition, string app = App)
    {
        var journey = Journey(definition.Id, app);
        var put = await journey.Put(definition);
        Assert.True(put.Status is CampaignCommandStatus.Created or CampaignCommandStatus.Ok, string.Join("; ", put.Errors));
        var launched = await journey.Launch();
        Assert.Equal(CampaignCommandStatus.Ok, launched.Status);
        return journey;
    }

    private async Task<IUserGrain> Reachable(string app = App)
    {
        var user = fixture.User(ClusterFixture.NewUser(app));
        await user.Ingest([fixture.Track("Application Opened")]);
        await user.RegisterDevice(new DeviceToken(Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N"), PushPlatform.Ios));
        await user.SetSubscriptions(true, true);
        return user;
    }

    private static async Task<MessageLogEntry[]> Messages(IUserGrain user, string journeyId) =>
        (await user.GetMessages()).Where(m => m.CampaignId == JourneyStatsKeys.StatsId(journeyId)).ToArray();

    private static async Task<JourneyPosition> Run(IUserGrain user, string journeyId) =>
        (await user.GetJourneys()).Last(r => r.JourneyId == journeyId);

    private static string[] Paths(JourneyPosition run) =>
        [.. run.Trail.Where(t => t.Kind == JourneyTrailKind.Moved).Select(t => $"{t.StepId}:{t.Detail}")];

    [Fact]
    public async Task OnboardingJourneyTakesEachStepAtItsTimeAndCountsEveryStep()
    {
        string id = NewId("onboarding");
        var journey = await Launch(Onboarding(id));
        var user = await Reachable();
        var entered = fixture.Now;

        await user.Ingest([fixture.Track(SignedUp(id))]);
        var welcome = Assert.Single(await Messages(user, id));
        var waiting = await Run(user, id);

        await fixture.AdvanceAndTick(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(2));
        var afterDay1 = await Run(user, id);
        var tip = await Messages(user, id);

        await fixture.AdvanceAndTick(TimeSpan.FromDays(2) + TimeSpan.FromMinutes(2));
        var done = await Run(user, id);
        var all = await Messages(user, id);
        var stats = (await journey.GetStats()).Counts.Variants;

        Assert.True(welcome.Status == MessageStatus.Delivered, $"{welcome.Status} {welcome.Reason}: {welcome.Detail}");
        Assert.Equal("1:welcome", welcome.Variant);
        Assert.Equal("day1", waiting.StepId);
        Assert.Equal(entered + TimeSpan.FromDays(1), waiting.WaitUntil);
        Assert.Equal("day3", afterDay1.StepId);
        Assert.Equal(2, tip.Length);
        Assert.Equal(3, all.Length);
        Assert.All(all, m => Assert.Equal(MessageStatus.Delivered, m.Status));
        Assert.False(done.Active);
        Assert.Equal(JourneyMachine.Completed, done.ExitReason);
        Assert.Equal(["welcome:next", "day1:next", "viewed:otherwise", "tip:next", "day3:timed_out", "offer:next"], Paths(done));

        // Why: the third step's wait ended at its exact time (2 days after the tip), not when the wake-up came.
        Assert.Equal(entered + TimeSpan.FromDays(3), done.Trail.Single(t => t.StepId == "offer" && t.Kind == JourneyTrailKind.Message).At, TimeSpan.FromMinutes(5));
        Assert.Equal(1, stats["1:*"].Entered);
        Assert.Equal(1, stats["1:welcome"].Sent);
        Assert.Equal(1, stats["1:viewed"].Moved["otherwise"]);
        Assert.Equal(1, stats["1:day3"].Moved["timed_out"]);
        Assert.Equal(1, stats["1:bought"].Exited[JourneyMachine.Completed]);
        Assert.All(stats.Where(s => s.Key != "1:*"), s => Assert.Equal(0, s.Value.AtStep));
    }

    [Fact]
    public async Task ExitEventTakesTheUserOutMidWaitAndCountsTheConversion()
    {
        string id = NewId("onboarding");
        var journey = await Launch(Onboarding(id));
        var user = await Reachable();

        await user.Ingest([fixture.Track(SignedUp(id))]);
        await fixture.AdvanceAndTick(TimeSpan.FromHours(3));
        await user.Ingest([fixture.Track("Order Completed")]);
        await fixture.AdvanceAndTick(TimeSpan.FromDays(4));
        var run = await Run(user, id);
        var stats = (await journey.GetStats()).Counts.Variants;

        Assert.Single(await Messages(user, id));
        Assert.Equal("event:Order Completed", run.ExitReason);
        Assert.Equal("day1", run.StepId);
        Assert.True(run.Converted);
        Assert.Equal(1, stats["1:*"].Converted);
        Assert.Equal(1, stats["1:day1"].Exited["event:Order Completed"]);
        Assert.Equal(1, stats["1:welcome"].Converted);
        Assert.Equal(1, stats["1:welcome"].ConvertedByPath["next"]);
        Assert.False(stats.ContainsKey("1:day1") && stats["1:day1"].ConvertedByPath.Count > 0); // never moved on from the wait
    }

    [Fact]
    public async Task AwaitedEventTakesTheHappenedPathAndARuleBranchSeesTheUsersHistory()
    {
        string id = NewId("onboarding");
        var journey = await Launch(Onboarding(id));
        var user = await Reachable();
        await user.Ingest([fixture.Track(SignedUp(id))]);
        await user.Ingest([fixture.Track("Product Viewed")]);

        await fixture.AdvanceAndTick(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(2));
        var atDay3 = await Run(user, id);
        var ordered = fixture.Now;

        // The exit condition and the awaited event are the same here: the exit wins, as the domain's order says.
        await user.Ingest([fixture.Track("Order Completed", ordered)]);
        var run = await Run(user, id);

        Assert.Equal(["welcome:next", "day1:next", "viewed:rules[0]"], Paths(atDay3));
        Assert.Single(await Messages(user, id)); // no tip: they had viewed a product
        Assert.Equal("event:Order Completed", run.ExitReason);

        // The conversion is credited to every path the user took on the way.
        var stats = (await journey.GetStats()).Counts.Variants;
        Assert.Equal(1, stats["1:viewed"].ConvertedByPath["rules[0]"]);
        Assert.Equal(1, stats["1:day1"].ConvertedByPath["next"]);
        Assert.False(stats["1:viewed"].ConvertedByPath.ContainsKey("otherwise"));
    }

    [Fact]
    public async Task EventWaitMovesOnWhenTheEventHappensBeforeItsTimeout()
    {
        string id = NewId("nudge");
        var definition = new JourneyDefinition(id, "Cart nudge", new JourneyEntry(JourneyEntryKind.Event) { Event = "Cart Viewed" }, "wait",
        [
            new JourneyStep("wait", JourneyStepKind.Wait) { UntilEvent = "Checkout Started", Timeout = TimeSpan.FromHours(4), Next = "thanks", TimedOut = "nudge" },
            new JourneyStep("thanks", JourneyStepKind.Message) { Message = new("Almost there", "Finish your order"), Next = "end" },
            new JourneyStep("nudge", JourneyStepKind.Message) { Message = new("Still thinking?", "Your cart misses you"), Next = "end" },
            new JourneyStep("end", JourneyStepKind.Exit),
        ]) { Category = MessageCategory.Transactional };
        await Launch(definition);
        var user = await Reachable();

        await user.Ingest([fixture.Track("Cart Viewed")]);
        await fixture.AdvanceAndTick(TimeSpan.FromHours(1));
        await user.Ingest([fixture.Track("Checkout Started")]);
        await fixture.AdvanceAndTick(TimeSpan.FromHours(5));
        var run = await Run(user, id);

        Assert.Equal(["wait:happened", "thanks:next"], Paths(run));
        Assert.Equal("1:thanks", Assert.Single(await Messages(user, id)).Variant);
        Assert.Equal(JourneyMachine.Completed, run.ExitReason);
    }

    [Fact]
    public async Task AnApiEntryKeepsItsPropertiesForTheTemplatesUntilTheRunEnds()
    {
        string id = NewId("renewal");
        await Launch(new JourneyDefinition(id, "Renewal", new JourneyEntry(JourneyEntryKind.Api), "wait",
        [
            new JourneyStep("wait", JourneyStepKind.Wait) { Duration = TimeSpan.FromHours(1), Next = "remind" },
            new JourneyStep("remind", JourneyStepKind.Message) { Message = new("Your {{ journey.plan }} plan", "renews {{ journey.on }}"), Next = "end" },
            new JourneyStep("end", JourneyStepKind.Exit),
        ]) { Category = MessageCategory.Transactional });
        var user = await Reachable();
        var unknown = fixture.User(ClusterFixture.NewUser(App));

        string? entered = await user.EnterJourney(id, new() { ["plan"] = "Pro", ["on"] = "Friday" });
        string? again = await user.EnterJourney(id, null);
        string? notAUser = await unknown.EnterJourney(id, null);
        string? notLive = await user.EnterJourney(NewId("nowhere"), null);
        var waiting = await Run(user, id);
        await fixture.AdvanceAndTick(TimeSpan.FromHours(1) + TimeSpan.FromMinutes(2));
        var done = await Run(user, id);

        Assert.Null(entered);
        Assert.Equal("already_in_journey", again);
        Assert.Equal("unknown_user", notAUser);
        Assert.Equal("journey_not_live", notLive);
        Assert.Equal("Pro", waiting.Properties!["plan"]);
        Assert.Equal(MessageStatus.Delivered, Assert.Single(await Messages(user, id)).Status);
        Assert.Equal(JourneyMachine.Completed, done.ExitReason);
        Assert.Null(done.Properties);
    }

    [Fact]
    public async Task AMessageStepsVariantsSplitUsersAsAssignedAndAreCountedEachAndTogether()
    {
        string id = NewId("ab");
        var journey = await Launch(new JourneyDefinition(id, "A/B welcome", new JourneyEntry(JourneyEntryKind.Event) { Event = SignedUp(id) }, "hello",
        [
            new JourneyStep("hello", JourneyStepKind.Message)
            {
                Message = Hello,
                Variants = [new("short", 50, new CampaignMessage("Hi", "Welcome")), new("long", 50, new CampaignMessage("Hello there", "Welcome, here is what is new"))],
                Next = "end",
            },
            new JourneyStep("end", JourneyStepKind.Exit),
        ]) { Category = MessageCategory.Transactional });
        var users = new List<(UserKey Key, IUserGrain Grain)>();
        for (int i = 0; i < 40; i++)
        {
            var key = ClusterFixture.NewUser(App);
            var user = fixture.User(key);
            await user.Ingest([fixture.Track("Application Opened")]);
            await user.RegisterDevice(new DeviceToken(Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N"), PushPlatform.Ios));
            await user.Ingest([fixture.Track(SignedUp(id))]);
            users.Add((key, user));
        }

        var arms = new List<string>();
        foreach (var (key, user) in users)
        {
            var message = Assert.Single(await Messages(user, id));
            string expected = VariantAssigner.Assign($"{id}/hello", key.User.Id, 0, [new("short", 50), new("long", 50)]);
            Assert.Equal($"1:hello#{expected}", message.Variant);
            arms.Add(expected);
        }

        var stats = (await journey.GetStats()).Counts.Variants;

        Assert.Contains("short", arms);
        Assert.Contains("long", arms);
        Assert.Equal(arms.Count(a => a == "short"), stats["1:hello#short"].Sent);
        Assert.Equal(arms.Count(a => a == "long"), stats["1:hello#long"].Sent);
        Assert.Equal(40, stats["1:hello"].Moved["next"]);
    }

    [Fact]
    public async Task AMessageDueInQuietHoursIsHeldWhileTheUserMovesOnAndSentWhenTheyEnd()
    {
        // "shop" keeps the default quiet hours (22:00 to 08:00 in UTC, its default zone); the clock goes to 23:00.
        var now = fixture.Now;
        var lateEvening = now.Date.AddHours(23) > now ? now.Date.AddHours(23) : now.Date.AddDays(1).AddHours(23);
        await fixture.AdvanceAndTick(lateEvening - now);
        string id = NewId("late");
        var journey = await Launch(Onboarding(id), app: "shop");
        var user = await Reachable("shop");

        await user.Ingest([fixture.Track(SignedUp(id))]);
        var held = Assert.Single(await Messages(user, id));
        var run = await Run(user, id);
        await fixture.AdvanceAndTick(lateEvening.Date.AddDays(1).AddHours(8).AddMinutes(2) - fixture.Now);
        var welcome = (await Messages(user, id)).Where(m => m.Variant == "1:welcome").ToArray();
        var stats = (await journey.GetStats()).Counts.Variants["1:welcome"];

        Assert.Equal(MessageStatus.Deferred, held.Status);
        Assert.Equal(SuppressionReason.QuietHours, held.Reason);
        Assert.Equal("day1", run.StepId);
        Assert.Equal(2, welcome.Length);
        Assert.Contains(welcome, m => m.Status == MessageStatus.Deferred);
        Assert.Contains(welcome, m => m.Status == MessageStatus.Delivered);
        Assert.Single(welcome.Select(m => m.NotificationId).Distinct());
        Assert.Equal((1, 1), (stats.Targeted, stats.Sent));
    }

    [Fact]
    public async Task AnErasedUserLeavesTheJourneysCounts()
    {
        string id = NewId("onboarding");
        var journey = await Launch(Onboarding(id));
        var user = await Reachable();
        await user.Ingest([fixture.Track(SignedUp(id))]);

        await user.Erase();
        var stats = (await journey.GetStats()).Counts.Variants["1:day1"];

        Assert.Equal(0, stats.AtStep);
        Assert.Equal(1, stats.Exited["erased"]);
        Assert.Empty(await user.GetJourneys());
    }

    [Fact]
    public async Task UserEntersOnceWhileInItAndNeverAgainUnlessReentryAllowsIt()
    {
        string never = NewId("once");
        string again = NewId("again");
        JourneyDefinition Short(string id) => new(id, "Short", new JourneyEntry(JourneyEntryKind.Event) { Event = "Trial Started" }, "hello",
        [
            new JourneyStep("hello", JourneyStepKind.Message) { Message = Hello, Next = "pause" },
            new JourneyStep("pause", JourneyStepKind.Wait) { Duration = TimeSpan.FromHours(1), Next = "end" },
            new JourneyStep("end", JourneyStepKind.Exit),
        ]) { Category = MessageCategory.Transactional };
        await Launch(Short(never));
        await Launch(Short(again) with { Reentry = true, ReentryAfter = TimeSpan.FromDays(1) });
        var user = await Reachable();

        await user.Ingest([fixture.Track("Trial Started")]);
        await user.Ingest([fixture.Track("Trial Started")]);
        var whileIn = await user.GetJourneys();
        await fixture.AdvanceAndTick(TimeSpan.FromHours(2));
        await user.Ingest([fixture.Track("Trial Started")]);
        var tooSoon = await user.GetJourneys();
        await fixture.AdvanceAndTick(TimeSpan.FromDays(1));
        await user.Ingest([fixture.Track("Trial Started")]);
        var runs = await user.GetJourneys();

        Assert.Single(whileIn, r => r.JourneyId == never);
        Assert.Single(whileIn, r => r.JourneyId == again);
        Assert.Single(tooSoon, r => r.JourneyId == again);
        Assert.Single(runs, r => r.JourneyId == never);
        Assert.Equal(2, runs.Count(r => r.JourneyId == again));
        Assert.Single(await Messages(user, never));
        Assert.Equal(2, (await Messages(user, again)).Length);
    }

    [Fact]
    public async Task PausingHoldsUsersWhereTheyAreAndResumingMovesThemOn()
    {
        string id = NewId("onboarding");
        var journey = await Launch(Onboarding(id));
        var user = await Reachable();
        await user.Ingest([fixture.Track(SignedUp(id))]);

        await journey.Pause("copy review");
        await fixture.AdvanceAndTick(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(2));
        var held = await Run(user, id);
        var newcomer = await Reachable();
        await newcomer.Ingest([fixture.Track(SignedUp(id))]);

        await journey.Resume();
        await fixture.AdvanceAndTick(TimeSpan.FromMinutes(20));
        var moved = await Run(user, id);

        Assert.Equal("day1", held.StepId);
        Assert.Empty(await newcomer.GetJourneys());
        Assert.Equal("day3", moved.StepId);
        Assert.Equal(2, (await Messages(user, id)).Length);
    }

    [Fact]
    public async Task ArchivingTakesEveryUserOut()
    {
        string id = NewId("onboarding");
        var journey = await Launch(Onboarding(id));
        var user = await Reachable();
        await user.Ingest([fixture.Track(SignedUp(id))]);

        await journey.Archive("replaced");
        await fixture.AdvanceAndTick(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(2));
        var run = await Run(user, id);

        Assert.Equal(JourneyMachine.Archived, run.ExitReason);
        Assert.Single(await Messages(user, id));
        Assert.Equal(1, (await journey.GetStats()).Counts.Variants["1:day1"].Exited[JourneyMachine.Archived]);
    }

    [Fact]
    public async Task ChangingALiveJourneyMakesAVersionThatMovesUsersInFlightOnlyWhenItSaysSo()
    {
        string id = NewId("onboarding");
        var journey = await Launch(Onboarding(id));
        var first = await Reachable();
        await first.Ingest([fixture.Track(SignedUp(id))]);

        // Version 2 changes a text only: users in flight finish on version 1.
        var v2 = Onboarding(id) with { Steps = [.. Onboarding(id).Steps.Select(s => s.Id == "tip" ? s with { Message = new("Tip", "New arrivals") } : s)] };
        var put2 = await journey.Put(v2);
        var second = await Reachable();
        await second.Ingest([fixture.Track(SignedUp(id))]);
        await first.Ingest([fixture.Track("Application Opened")]);
        var firstOnV2 = await Run(first, id);
        var secondOnV2 = await Run(second, id);

        // Version 3 renames the first wait and says so: every user at "day1", of any version, moves to "pause1".
        var v3 = Onboarding(id) with
        {
            Steps = [.. Onboarding(id).Steps.Select(s => s.Id == "day1" ? s with { Id = "pause1" } : s.Id == "welcome" ? s with { Next = "pause1" } : s)],
            MoveUsers = new Dictionary<string, string> { ["day1"] = "pause1" },
        };
        var put3 = await journey.Put(v3);
        await first.Ingest([fixture.Track("Application Opened")]);
        await second.Ingest([fixture.Track("Application Opened")]);
        var firstOnV3 = await Run(first, id);
        var secondOnV3 = await Run(second, id);
        var stats = (await journey.GetStats()).Counts.Variants;

        Assert.Equal(2, put2.Journey!.Version);
        Assert.Equal(3, put3.Journey!.Version);
        Assert.Equal(1, firstOnV2.Version);
        Assert.Equal(2, secondOnV2.Version);
        Assert.Equal((3, "pause1"), (firstOnV3.Version, firstOnV3.StepId));
        Assert.Equal((3, "pause1"), (secondOnV3.Version, secondOnV3.StepId));
        Assert.Equal(1, stats["1:day1"].Moved["version:3"]);
        Assert.Equal(1, stats["2:day1"].Moved["version:3"]);
        Assert.Equal(2, stats["3:pause1"].AtStep);

        // The moved users' wait still ends a day after they reached it.
        await fixture.AdvanceAndTick(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(2));
        Assert.Equal("day3", (await Run(first, id)).StepId);
    }

    [Fact]
    public async Task UsersAtAStepANewVersionRemovesLeaveWithThatReason()
    {
        string id = NewId("onboarding");
        var journey = await Launch(Onboarding(id));
        var user = await Reachable();
        await user.Ingest([fixture.Track(SignedUp(id))]);

        var shorter = Onboarding(id) with
        {
            Steps = [.. Onboarding(id).Steps.Where(s => s.Id != "day1").Select(s => s.Id == "welcome" ? s with { Next = "viewed" } : s)],
            MoveUsers = new Dictionary<string, string>(),
        };
        var put = await journey.Put(shorter);
        await user.Ingest([fixture.Track("Application Opened")]);
        var run = await Run(user, id);

        Assert.Equal(CampaignCommandStatus.Ok, put.Status);
        Assert.Equal(JourneyMachine.StepRemoved, run.ExitReason);
        Assert.Equal("day1", run.StepId);
        Assert.Equal(1, (await journey.GetStats()).Counts.Variants["1:day1"].Exited[JourneyMachine.StepRemoved]);
    }

    [Fact]
    public async Task AThousandUsersThroughAFiveStepJourneyNeverPassTheMarketingCaps()
    {
        string id = NewId("burst");
        var definition = new JourneyDefinition(id, "Burst", new JourneyEntry(JourneyEntryKind.Event) { Event = "Promo Opened" }, "m1",
        [
            new JourneyStep("m1", JourneyStepKind.Message) { Message = new("One", "1"), Next = "m2" },
            new JourneyStep("m2", JourneyStepKind.Message) { Message = new("Two", "2"), Next = "m3" },
            new JourneyStep("m3", JourneyStepKind.Message) { Message = new("Three", "3"), Next = "m4" },
            new JourneyStep("m4", JourneyStepKind.Message) { Message = new("Four", "4"), Next = "end" },
            new JourneyStep("end", JourneyStepKind.Exit),
        ]) { Priority = MessagePriority.High }; // high: the last push of the daily cap is kept for such messages
        var journey = await Launch(definition);
        var users = new List<IUserGrain>();
        for (int batch = 0; batch < 10; batch++)
        {
            var made = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => Reachable()));
            await Task.WhenAll(made.Select(u => u.Ingest([fixture.Track("Promo Opened")])));
            users.AddRange(made);
        }

        var logs = await Task.WhenAll(users.Select(u => Messages(u, id)));
        var stats = (await journey.GetStats()).Counts.Variants;

        // Three marketing pushes a day at most: the fourth step's message is suppressed by the cap, for every user,
        // although all four were queued in the same turn.
        Assert.All(logs, log => Assert.Equal(3, log.Count(m => m.Status == MessageStatus.Delivered)));
        Assert.All(logs, log => Assert.Equal(SuppressionReason.Capped, log.Single(m => m.Variant == "1:m4").Reason));
        Assert.Equal(1000, stats["1:*"].Entered);
        Assert.Equal(1000, stats["1:m4"].Suppressed["capped"]);
        Assert.Equal(1000, stats["1:end"].Exited[JourneyMachine.Completed]);
    }
}
