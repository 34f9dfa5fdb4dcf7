using Orleans.Segments.Domain.Events;
using Orleans.Segments.Users;

namespace Orleans.Segments.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class IdentityMergeTests(ClusterFixture fixture)
{
    [Fact]
    public async Task AnonymousHistoryJoinsTheUserOnIdentify()
    {
        string anonymousId = "anon-" + Guid.NewGuid().ToString("N")[..8];
        var anonymous = UserKey.AnonymousOf("shop", anonymousId);
        var known = ClusterFixture.NewUser();
        await fixture.User(anonymous).Ingest([fixture.Track("Product Viewed"), fixture.Track("Product Viewed")]);

        await fixture.User(known).Ingest([new UserEvent(EventKind.Identify, Guid.NewGuid().ToString("N"), fixture.Now) { AnonymousId = anonymousId }]);
        var profile = await fixture.User(known).GetProfile();

        Assert.Equal(2, Assert.Single(profile!.Behaviour, b => b.Event == "Product Viewed").Total);
        Assert.Contains(anonymousId, profile.AnonymousIds);
        Assert.Null(await fixture.User(anonymous).GetProfile());
    }

    [Fact]
    public async Task LaterAnonymousEventsReachTheKnownUser()
    {
        string anonymousId = "anon-" + Guid.NewGuid().ToString("N")[..8];
        var anonymous = UserKey.AnonymousOf("shop", anonymousId);
        var known = ClusterFixture.NewUser();
        await fixture.User(anonymous).Ingest([fixture.Track("Product Viewed")]);
        await fixture.User(known).Ingest([new UserEvent(EventKind.Alias, Guid.NewGuid().ToString("N"), fixture.Now) { AnonymousId = anonymousId }]);

        await fixture.User(anonymous).Ingest([fixture.Track("Product Added")]);
        var profile = await fixture.User(known).GetProfile();

        Assert.Contains(profile!.Behaviour, b => b.Event == "Product Added");
    }

    [Fact]
    public async Task ErasingTheUserErasesTheMergedAnonymousProfile()
    {
        string anonymousId = "anon-" + Guid.NewGuid().ToString("N")[..8];
        var anonymous = UserKey.AnonymousOf("shop", anonymousId);
        var known = ClusterFixture.NewUser();
        await fixture.User(anonymous).Ingest([fixture.Track("Product Viewed")]);
        await fixture.User(known).Ingest([new UserEvent(EventKind.Identify, Guid.NewGuid().ToString("N"), fixture.Now) { AnonymousId = anonymousId }]);

        await fixture.User(known).Erase();
        await fixture.User(anonymous).Ingest([fixture.Track("Product Added")]);

        // Not forwarded to the erased user: the anonymous id starts a profile of its own again.
        Assert.Null(await fixture.User(known).GetProfile());
        Assert.NotNull(await fixture.User(anonymous).GetProfile());
    }
}
