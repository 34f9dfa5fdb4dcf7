using Orleans.Segments.Server.Tests.Infrastructure;
using static Orleans.Segments.Server.Tests.Infrastructure.SegmentRequests;

namespace Orleans.Segments.Server.Tests;

/// <summary>Segments that change by time alone: the wake-up service moves silent users in, and sizes follow.</summary>
[Collection(TimeTravelCollection.Name)]
public sealed class SegmentsOverTimeTests(TimeTravelServerFixture server)
{
    [Fact]
    public async Task SilentUserEntersSinceLastOnDayFourteenAndTheSizeGrows()
    {
        string cohort = NewCohort(), id = NewId("dormant");
        string silent = TestApps.NewUserId(), returning = TestApps.NewUserId(), never = TestApps.NewUserId();
        await server.PutSegmentAsync(id, $"{InCohort(cohort)} and since_last(\"Application Opened\") > 14d");
        var opened = server.Time.GetUtcNow().UtcDateTime;
        await server.IngestBatchAsync(
            Identify(silent, cohort), Track(silent, "Application Opened"),
            Identify(returning, cohort), Track(returning, "Application Opened"),
            Identify(never, cohort));

        // A user who never opened the app counts as infinitely long ago.
        Assert.Equal([never], (await server.MembersPageAsync(id)).Members);

        await server.AdvanceAndWakeAsync(TimeSpan.FromDays(7));
        await server.IngestBatchAsync(Track(returning, "Application Opened"));
        await server.AdvanceAndWakeAsync(TimeSpan.FromDays(6));
        Assert.Equal(1, await server.SizeAsync(id));

        await server.AdvanceAndWakeAsync(TimeSpan.FromDays(1) + TimeSpan.FromHours(2));

        Assert.Equal(2, await server.SizeAsync(id));
        Assert.Equal(new[] { never, silent }.Order(StringComparer.Ordinal), (await server.MembersPageAsync(id)).Members.Order(StringComparer.Ordinal));
        var profile = await server.GetUserAsync(silent);
        var membership = Assert.Single(profile["segments"]!.AsArray())!;
        Assert.Equal(id, (string?)membership["id"]);
        Assert.Equal(opened.AddDays(14).AddTicks(1), (DateTime)membership["since"]!);
        Assert.Equal(2, profile.EventsApplied());
        Assert.Empty((await server.GetUserAsync(returning)).SegmentIds());

        await server.AdvanceAndWakeAsync(TimeSpan.FromDays(7));

        Assert.Equal(3, await server.SizeAsync(id));
    }

    [Fact]
    public async Task SegmentDefinedAfterTheLastEventStillTakesInTheSilentUserOnTime()
    {
        string cohort = NewCohort(), id = NewId("dormant"), userId = TestApps.NewUserId();
        var opened = server.Time.GetUtcNow().UtcDateTime;
        await server.IngestBatchAsync(Identify(userId, cohort), Track(userId, "Application Opened"));
        await server.AdvanceAndWakeAsync(TimeSpan.FromDays(1));
        await server.PutSegmentAsync(id, $"{InCohort(cohort)} and since_last(\"Application Opened\") > 3d");
        await server.BackfillAsync();
        Assert.Equal(0, await server.SizeAsync(id));

        await server.AdvanceAndWakeAsync(TimeSpan.FromDays(2) + TimeSpan.FromHours(2));

        // Why: the size first, since reading the profile would apply a due change by itself.
        Assert.Equal(1, await server.SizeAsync(id));
        var membership = Assert.Single((await server.GetUserAsync(userId))["segments"]!.AsArray())!;
        Assert.Equal(opened.AddDays(3).AddTicks(1), (DateTime)membership["since"]!);
    }

    [Fact]
    public async Task BuyerLeavesTheCountWindowWhenTheOldestOrderExpires()
    {
        string cohort = NewCohort(), id = NewId("buyers"), userId = TestApps.NewUserId();
        await server.PutSegmentAsync(id, $"{InCohort(cohort)} and count(\"Order Completed\", 30d) >= 2");
        var first = server.Time.GetUtcNow().UtcDateTime;
        await server.IngestBatchAsync(Identify(userId, cohort), Track(userId, "Order Completed"));
        await server.AdvanceAndWakeAsync(TimeSpan.FromDays(10));
        await server.IngestBatchAsync(Track(userId, "Order Completed"));
        Assert.Equal(1, await server.SizeAsync(id));

        await server.AdvanceAndWakeAsync(TimeSpan.FromDays(19));
        Assert.Equal(1, await server.SizeAsync(id));
        await server.AdvanceAndWakeAsync(TimeSpan.FromDays(1) + TimeSpan.FromHours(2));

        Assert.Equal(0, await server.SizeAsync(id));
        var exit = (await server.GetUserAsync(userId))["segmentHistory"]!.AsArray()[^1]!;
        Assert.Equal("exited", (string?)exit["change"]);
        Assert.Equal(first.AddDays(30), (DateTime)exit["at"]!);
    }
}
