using Orleans.Segments.Domain.Events;
using Orleans.Segments.Users;

namespace Orleans.Segments.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class UserGrainIngestTests(ClusterFixture fixture)
{
    [Fact]
    public async Task AppliedEventsShowInTheProfileAfterReactivation()
    {
        var key = ClusterFixture.NewUser();
        var identify = new UserEvent(EventKind.Identify, "m-1", fixture.Now)
        {
            Traits = new() { ["plan"] = TraitValue.Of("pro", fixture.Now) },
            TimeZone = "Europe/Berlin",
            Location = new GeoPoint(52.52, 13.405, "Berlin", "DE"),
        };

        var receipt = await fixture.User(key).Ingest([identify, fixture.Track("Application Opened")]);
        await fixture.DeactivateAll();
        var profile = await fixture.User(key).GetProfile();

        Assert.Equal(new IngestReceipt(2, 0, "new"), receipt);
        Assert.NotNull(profile);
        Assert.Equal("pro", profile.Traits["plan"].Text);
        Assert.Equal("Europe/Berlin", profile.Location?.TimeZone);
        Assert.Equal(1, Assert.Single(profile.Behaviour, b => b.Event == "Application Opened").Total);
    }

    [Fact]
    public async Task RetriedMessageIsAppliedOnce()
    {
        var key = ClusterFixture.NewUser();
        var e = fixture.Track("Order Completed", messageId: "retry-1");

        await fixture.User(key).Ingest([e]);
        var retry = await fixture.User(key).Ingest([e, e]);
        var profile = await fixture.User(key).GetProfile();

        Assert.Equal(0, retry.Applied);
        Assert.Equal(2, retry.Duplicates);
        Assert.Equal(1, profile!.Activity.EventsApplied);
    }

    [Fact]
    public async Task ConcurrentCallsForOneUserAreAllApplied()
    {
        var key = ClusterFixture.NewUser();

        await Task.WhenAll(Enumerable.Range(0, 50).Select(i => fixture.User(key).Ingest([fixture.Track("Product Viewed", messageId: $"c-{i}")])));
        var profile = await fixture.User(key).GetProfile();

        Assert.Equal(50, profile!.Activity.EventsApplied);
        Assert.Equal(50, Assert.Single(profile.Behaviour).Total);
    }

    [Fact]
    public async Task SameUserIdInTwoAppsIsTwoUsers()
    {
        string id = "shared-" + Guid.NewGuid().ToString("N")[..8];
        await fixture.User(UserKey.Known("shop", id)).Ingest([fixture.Track("Order Completed")]);

        Assert.NotNull(await fixture.User(UserKey.Known("shop", id)).GetProfile());
        Assert.Null(await fixture.User(UserKey.Known("other", id)).GetProfile());
    }

    [Fact]
    public async Task UnknownUserHasNoProfile()
    {
        Assert.Null(await fixture.User(ClusterFixture.NewUser()).GetProfile());
    }

    [Fact]
    public async Task EraseForgetsTheUserCompletely()
    {
        var key = ClusterFixture.NewUser();
        await fixture.User(key).Ingest([fixture.Track("Order Completed", messageId: "erase-1")]);
        await fixture.User(key).RegisterDevice(new DeviceToken(new string('a', 64), PushPlatform.Ios));

        Assert.True(await fixture.User(key).Erase());
        Assert.Null(await fixture.User(key).GetProfile());
        Assert.False(await fixture.User(key).Erase());

        // The de-duplication memory went too: the same message id counts as new.
        var again = await fixture.User(key).Ingest([fixture.Track("Order Completed", messageId: "erase-1")]);
        Assert.Equal(1, again.Applied);
    }
}
