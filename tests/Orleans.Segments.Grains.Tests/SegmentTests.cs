using Orleans.Segments.Domain.Events;
using Orleans.Segments.Domain.Geofences;
using Orleans.Segments.Domain.Segments;
using Orleans.Segments.Segments;
using Orleans.Segments.Users;

namespace Orleans.Segments.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class SegmentTests(ClusterFixture fixture)
{
    private static string NewApp() => "seg-" + Guid.NewGuid().ToString("N")[..10];

    private ISegmentCatalogGrain Catalog(string app) => fixture.Grains.GetGrain<ISegmentCatalogGrain>(app);

    private async Task<int> Size(string app, string segment)
    {
        var counts = await Task.WhenAll(Enumerable.Range(0, SegmentIndexGrain.Shards)
            .Select(s => fixture.Grains.GetGrain<ISegmentIndexGrain>(SegmentIndexGrain.Key(app, segment, s)).Count()));
        return counts.Sum();
    }

    private async Task Define(string app, string id, string rule)
    {
        var change = await Catalog(app).PutSegment(new SegmentDefinition(id, id, rule));
        Assert.True(change.Status is CatalogChangeStatus.Created or CatalogChangeStatus.Updated, string.Join("; ", change.Errors));
        await fixture.Grains.GetGrain<ISegmentBackfillGrain>(app).RunToEnd();
    }

    [Fact]
    public async Task UserEntersOnTheThirdOrderAndTheIndexCountsIt()
    {
        string app = NewApp();
        await Define(app, "buyers", "count(\"Order Completed\", 30d) >= 3");
        var user = fixture.User(UserKey.Known(app, "u1"));

        await user.Ingest([fixture.Track("Order Completed"), fixture.Track("Order Completed")]);
        Assert.Equal(0, await Size(app, "buyers"));
        await user.Ingest([fixture.Track("Order Completed")]);

        var profile = await user.GetProfile();
        Assert.Equal("buyers", Assert.Single(profile!.Segments).Id);
        Assert.Equal(1, await Size(app, "buyers"));
    }

    [Fact]
    public async Task UserLeavesTheMomentTheOldestOrderLeavesTheWindowWithNoEvent()
    {
        string app = NewApp();
        await Define(app, "buyers", "count(\"Order Completed\", 30d) >= 3");
        var user = fixture.User(UserKey.Known(app, "u1"));
        var first = fixture.Now;
        await user.Ingest([fixture.Track("Order Completed", first)]);
        await fixture.AdvanceAndTick(TimeSpan.FromDays(2));
        await user.Ingest([fixture.Track("Order Completed"), fixture.Track("Order Completed")]);
        await fixture.DeactivateAll();

        await fixture.AdvanceAndTick(first.AddDays(30) - fixture.Now + TimeSpan.FromMinutes(2));
        var profile = await user.GetProfile();

        Assert.Empty(profile!.Segments);
        Assert.Equal(new MembershipTransitionView("buyers", "exited", first.AddDays(30)), profile.SegmentHistory[^1]);
        Assert.Equal(0, await Size(app, "buyers"));
    }

    [Fact]
    public async Task UserEntersSinceLastOnDayFourteenWithNoEvent()
    {
        string app = NewApp();
        await Define(app, "dormant", "since_last(\"Application Opened\") > 14d");
        var user = fixture.User(UserKey.Known(app, "u1"));
        var opened = fixture.Now;
        await user.Ingest([fixture.Track("Application Opened", opened)]);
        await fixture.DeactivateAll();

        await fixture.AdvanceAndTick(TimeSpan.FromDays(13));
        Assert.Empty((await user.GetProfile())!.Segments);
        await fixture.AdvanceAndTick(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(2));

        var profile = await user.GetProfile();
        Assert.Equal(opened.AddDays(14).AddTicks(1), Assert.Single(profile!.Segments).Since);
        Assert.Equal(1, await Size(app, "dormant"));
    }

    [Fact]
    public async Task NewSegmentIsBackfilledOverExistingUsers()
    {
        string app = NewApp();
        for (int i = 0; i < 30; i++)
        {
            var user = fixture.User(UserKey.Known(app, $"u{i}"));
            await user.Ingest([new UserEvent(EventKind.Identify, Guid.NewGuid().ToString("N"), fixture.Now)
            {
                Traits = new() { ["plan"] = TraitValue.Of(i % 3 == 0 ? "pro" : "free", fixture.Now) },
            }]);
        }

        await Define(app, "pro", "trait(\"plan\") = \"pro\"");
        var status = await fixture.Grains.GetGrain<ISegmentBackfillGrain>(app).GetStatus();

        Assert.Equal(10, await Size(app, "pro"));
        Assert.False(status.Running);
        Assert.Equal(30, status.Processed);
    }

    [Fact]
    public async Task ChangedRuleMovesMembersBothWays()
    {
        string app = NewApp();
        var pro = fixture.User(UserKey.Known(app, "pro-user"));
        var free = fixture.User(UserKey.Known(app, "free-user"));
        await pro.Ingest([new UserEvent(EventKind.Identify, "p", fixture.Now) { Traits = new() { ["plan"] = TraitValue.Of("pro", fixture.Now) } }]);
        await free.Ingest([new UserEvent(EventKind.Identify, "f", fixture.Now) { Traits = new() { ["plan"] = TraitValue.Of("free", fixture.Now) } }]);
        await Define(app, "plan", "trait(\"plan\") = \"pro\"");

        await Define(app, "plan", "trait(\"plan\") = \"free\"");

        Assert.Empty((await pro.GetProfile())!.Segments);
        Assert.Single((await free.GetProfile())!.Segments);
        Assert.Equal(1, await Size(app, "plan"));
    }

    [Fact]
    public async Task ExplainShowsEachConditionsValue()
    {
        string app = NewApp();
        await Define(app, "vip", "count(\"Order Completed\", 30d) >= 2 and has_push_token");
        var user = fixture.User(UserKey.Known(app, "u1"));
        await user.Ingest([fixture.Track("Order Completed"), fixture.Track("Order Completed")]);

        var explanation = await user.Explain("vip");

        Assert.NotNull(explanation);
        Assert.False(explanation.Held);
        Assert.Equal(["2", "false"], explanation.Children.Select(c => c.Value));
        Assert.Equal([true, false], explanation.Children.Select(c => c.Held));
    }

    [Fact]
    public async Task LocationEventsEnterAndLeaveGeofencesAndSegmentsFollow()
    {
        string app = NewApp();
        await Catalog(app).PutGeofence(new Geofence("station", "Central station", new GeoPoint(52.5251, 13.3694), 300, null));
        await Define(app, "at-station", "inside(\"station\")");
        var user = fixture.User(UserKey.Known(app, "u1"));

        await user.Ingest([new UserEvent(EventKind.Track, "in", fixture.Now) { Name = "Location Updated", Location = new GeoPoint(52.5255, 13.3700) }]);
        var inside = await user.GetProfile();
        await user.Ingest([new UserEvent(EventKind.Track, "out", fixture.Now) { Name = "Location Updated", Location = new GeoPoint(52.52, 13.405) }]);
        var outside = await user.GetProfile();

        Assert.Equal(["station"], inside!.Geofences);
        Assert.Equal("at-station", Assert.Single(inside.Segments).Id);
        Assert.Empty(outside!.Geofences);
        Assert.Equal(["entered", "exited"], outside.GeofenceHistory.Select(t => t.Change));
        Assert.Equal(0, await Size(app, "at-station"));
    }

    [Fact]
    public async Task CatalogRejectsCyclesUnknownGeofencesAndDeletingWhatIsUsed()
    {
        string app = NewApp();
        await Define(app, "a", "stage = \"new\"");
        await Define(app, "b", "in_segment(\"a\")");

        var cycle = await Catalog(app).PutSegment(new SegmentDefinition("a", "a", "in_segment(\"b\")"));
        var unknownFence = await Catalog(app).PutSegment(new SegmentDefinition("c", "c", "inside(\"nowhere\")"));
        var syntax = await Catalog(app).PutSegment(new SegmentDefinition("d", "d", "count(\"x\", 30d) >="));
        var inUse = await Catalog(app).DeleteSegment("a");

        Assert.Equal(CatalogChangeStatus.Invalid, cycle.Status);
        Assert.Contains("cycle", cycle.Errors[0]);
        Assert.Equal(CatalogChangeStatus.Invalid, unknownFence.Status);
        Assert.Equal(CatalogChangeStatus.Invalid, syntax.Status);
        Assert.StartsWith("line 1, column 19: expected a number", syntax.Errors[0]);
        Assert.Equal(CatalogChangeStatus.InUse, inUse.Status);
        Assert.Contains("'b'", inUse.Errors[0]);
    }

    [Fact]
    public async Task SegmentsThatNameOtherSegmentsFollowThem()
    {
        string app = NewApp();
        await Define(app, "buyers", "count(\"Order Completed\", 90d) >= 1");
        await Define(app, "happy-buyers", "in_segment(\"buyers\") and has_push_token");
        var user = fixture.User(UserKey.Known(app, "u1"));

        await user.Ingest([fixture.Track("Order Completed")]);
        await user.RegisterDevice(new DeviceToken(new string('b', 64), PushPlatform.Ios));

        Assert.Equal(["buyers", "happy-buyers"], (await user.GetProfile())!.Segments.Select(s => s.Id));
        Assert.Equal(1, await Size(app, "happy-buyers"));
    }

    [Fact]
    public async Task ErasedUserLeavesTheIndex()
    {
        string app = NewApp();
        await Define(app, "all", "since_first_seen >= 0d");
        var user = fixture.User(UserKey.Known(app, "u1"));
        await user.Ingest([fixture.Track("Application Opened")]);
        Assert.Equal(1, await Size(app, "all"));

        await user.Erase();

        Assert.Equal(0, await Size(app, "all"));
    }

    [Fact]
    public async Task NewTimeDrivenSegmentTakesInAnExistingUserLaterWithNoEvent()
    {
        string app = NewApp();
        var user = fixture.User(UserKey.Known(app, "u1"));
        var opened = fixture.Now;
        await user.Ingest([fixture.Track("Application Opened", opened)]);
        await fixture.AdvanceAndTick(TimeSpan.FromDays(1));
        await Define(app, "dormant", "since_last(\"Application Opened\") > 3d");
        Assert.Equal(0, await Size(app, "dormant"));

        await fixture.AdvanceAndTick(TimeSpan.FromDays(2) + TimeSpan.FromMinutes(2));

        // Why: the index first, since reading the profile would apply a due change by itself.
        Assert.Equal(1, await Size(app, "dormant"));
        Assert.Equal(opened.AddDays(3).AddTicks(1), Assert.Single((await user.GetProfile())!.Segments).Since);
    }
}
