using Orleans.Segments.Users;

namespace Orleans.Segments.Grains.Tests;

/// <summary>Users whose grains are not active change stage on time, with no event.</summary>
[Collection(ClusterCollection.Name)]
public sealed class LifecycleOverTimeTests(ClusterFixture fixture)
{
    [Fact]
    public async Task SilentUserBecomesAtRiskAfterSevenDaysWithNoEvent()
    {
        var key = ClusterFixture.NewUser();
        var lastSeen = fixture.Now;
        await fixture.User(key).Ingest([fixture.Track("Application Opened", lastSeen)]);
        await fixture.DeactivateAll();

        await fixture.AdvanceAndTick(TimeSpan.FromDays(7) + TimeSpan.FromMinutes(2));
        var profile = await fixture.User(key).GetProfile();

        Assert.Equal("at_risk", profile!.Lifecycle.Stage);
        Assert.Equal(lastSeen.AddDays(7), profile.Lifecycle.Since);
    }

    [Fact]
    public async Task LongSilenceRecordsEveryTransitionAtItsExactMoment()
    {
        var key = ClusterFixture.NewUser();
        var lastSeen = fixture.Now;
        await fixture.User(key).Ingest([fixture.Track("Application Opened", lastSeen)]);
        await fixture.DeactivateAll();

        await fixture.AdvanceAndTick(TimeSpan.FromDays(40));
        var history = (await fixture.User(key).GetProfile())!.Lifecycle.History;

        Assert.Equal(
            [new TransitionView(null, "new", lastSeen), new TransitionView("new", "at_risk", lastSeen.AddDays(7)),
             new TransitionView("at_risk", "lapsed", lastSeen.AddDays(30))],
            history);
    }

    [Fact]
    public async Task WakeUpsAreDueOnlyAfterTheirTime()
    {
        var key = ClusterFixture.NewUser();
        await fixture.User(key).Ingest([fixture.Track("Application Opened")]);

        await fixture.AdvanceAndTick(TimeSpan.FromDays(6));
        Assert.Equal("new", (await fixture.User(key).GetProfile())!.Lifecycle.Stage);
    }

    [Fact]
    public async Task ReturningUserBecomesActiveAgainAndIsRebooked()
    {
        var key = ClusterFixture.NewUser();
        await fixture.User(key).Ingest([fixture.Track("Application Opened")]);
        await fixture.AdvanceAndTick(TimeSpan.FromDays(10));

        var receipt = await fixture.User(key).Ingest([fixture.Track("Application Opened")]);
        await fixture.DeactivateAll();
        await fixture.AdvanceAndTick(TimeSpan.FromDays(7) + TimeSpan.FromMinutes(2));

        Assert.Equal("active", receipt.Stage);
        Assert.Equal("at_risk", (await fixture.User(key).GetProfile())!.Lifecycle.Stage);
    }

    [Fact]
    public async Task EachAppUsesItsOwnThresholds()
    {
        var fast = ClusterFixture.NewUser("fast");
        var shop = ClusterFixture.NewUser("shop");
        await fixture.User(fast).Ingest([fixture.Track("Application Opened")]);
        await fixture.User(shop).Ingest([fixture.Track("Application Opened")]);

        await fixture.AdvanceAndTick(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(2));

        Assert.Equal("at_risk", (await fixture.User(fast).GetProfile())!.Lifecycle.Stage);
        Assert.Equal("new", (await fixture.User(shop).GetProfile())!.Lifecycle.Stage);
    }

    [Fact]
    public async Task LoyalUserDropsOutWhenTheOldestOrderLeavesTheWindow()
    {
        var key = ClusterFixture.NewUser();
        var first = fixture.Now;
        await fixture.User(key).Ingest([fixture.Track("Order Completed", first)]);
        await fixture.AdvanceAndTick(TimeSpan.FromDays(5));
        await fixture.User(key).Ingest([fixture.Track("Order Completed")]);
        await fixture.AdvanceAndTick(TimeSpan.FromDays(5));
        var receipt = await fixture.User(key).Ingest([fixture.Track("Order Completed")]);

        // Keep the user seen (so not at risk) without more orders until the first order is 90 days old.
        for (int day = 0; day < 80; day += 5)
        {
            await fixture.AdvanceAndTick(TimeSpan.FromDays(5));
            await fixture.User(key).Ingest([fixture.Track("Application Opened")]);
        }

        await fixture.AdvanceAndTick(first.AddDays(90) - fixture.Now + TimeSpan.FromMinutes(2));
        var profile = await fixture.User(key).GetProfile();

        Assert.Equal("loyal", receipt.Stage);
        Assert.Equal("active", profile!.Lifecycle.Stage);
        Assert.Equal(first.AddDays(90), profile.Lifecycle.Since);
    }
}
