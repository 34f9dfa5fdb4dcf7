using Orleans.Segments.Server.Tests.Infrastructure;

namespace Orleans.Segments.Server.Tests;

/// <summary>
/// Lifecycle stages change with no event arriving: the wake-up service re-evaluates silent users when their
/// next change is due. These tests move the clock of a server of their own.
/// </summary>
[Collection(TimeTravelCollection.Name)]
public sealed class LifecycleOverTimeTests(TimeTravelServerFixture server)
{
    [Fact]
    public async Task SilentUserIsAtRiskEightDaysLater()
    {
        string userId = TestApps.NewUserId();
        var seen = server.Time.GetUtcNow().UtcDateTime;
        await server.IngestAcceptedAsync("/v1/track", $$"""{"userId": "{{userId}}", "event": "App Opened"}""");
        Assert.Equal("new", (await server.GetUserAsync(userId)).Stage());

        await server.AdvanceAndWakeAsync(TimeSpan.FromDays(8));

        var profile = await server.GetUserAsync(userId);
        Assert.Equal("at_risk", profile.Stage());
        Assert.Equal(seen.AddDays(7), (DateTime)profile["lifecycle"]!["since"]!);
        Assert.Equal(1, profile.EventsApplied());
    }

    [Fact]
    public async Task SilentUserHasLapsedThirtyOneDaysLater()
    {
        string userId = TestApps.NewUserId();
        var seen = server.Time.GetUtcNow().UtcDateTime;
        await server.IngestAcceptedAsync("/v1/identify", $$"""{"userId": "{{userId}}", "traits": {"plan": "free"} }""");

        await server.AdvanceAndWakeAsync(TimeSpan.FromDays(8));
        Assert.Equal("at_risk", (await server.GetUserAsync(userId)).Stage());

        await server.AdvanceAndWakeAsync(TimeSpan.FromDays(23));

        var profile = await server.GetUserAsync(userId);
        Assert.Equal("lapsed", profile.Stage());
        Assert.Equal(seen.AddDays(30), (DateTime)profile["lifecycle"]!["since"]!);
        Assert.Equal(["new", "at_risk", "lapsed"], profile["lifecycle"]!["history"]!.AsArray().Select(t => (string)t!["to"]!));
    }

    [Fact]
    public async Task UserAtRiskWhoComesBackIsActiveAgain()
    {
        string userId = TestApps.NewUserId();
        await server.IngestAcceptedAsync("/v1/track", $$"""{"userId": "{{userId}}", "event": "App Opened"}""");
        await server.AdvanceAndWakeAsync(TimeSpan.FromDays(8));
        Assert.Equal("at_risk", (await server.GetUserAsync(userId)).Stage());

        await server.IngestAcceptedAsync("/v1/track", $$"""{"userId": "{{userId}}", "event": "App Opened"}""");

        Assert.Equal("active", (await server.GetUserAsync(userId)).Stage());
    }
}
