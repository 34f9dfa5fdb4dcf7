using Orleans.Segments.Domain.Events;
using Orleans.Segments.Domain.Profile;
using Orleans.Segments.Users;
using Orleans.Storage;

namespace Orleans.Segments.Grains.Tests;

/// <summary>
/// A second activation of the same user (a silo wrongly declared dead, a lost write answer) writes between this
/// activation's read and its write: the grain must re-read and decide again, never overwrite.
/// </summary>
public sealed class ConcurrentWriteTests(FlakyStorageFixture fixture) : IClassFixture<FlakyStorageFixture>
{
    [Fact]
    public async Task IngestAfterAConcurrentWriteKeepsBothChanges()
    {
        var (grain, now) = await UserWhoseNextWriteMeetsAnotherWriter();
        var receipt = await grain.Ingest([new UserEvent(EventKind.Track, "m-2", now) { Name = "Order Completed" }]);

        var profile = (await grain.GetProfile())!;
        Assert.Equal(1, receipt.Applied);
        Assert.Equal(2, profile.Activity.EventsApplied);
        Assert.Equal("gold", profile.Traits["plan"].Text);
    }

    [Fact]
    public async Task ConflictOutsideIngestionFailsTheCallAndKeepsTheOtherWrite()
    {
        var (grain, now) = await UserWhoseNextWriteMeetsAnotherWriter();
        await Assert.ThrowsAsync<InconsistentStateException>(() => grain.SetSubscriptions(true, null));

        var profile = (await grain.GetProfile())!;
        Assert.Equal("gold", profile.Traits["plan"].Text);
        Assert.False(profile.Subscriptions.Marketing);
    }

    /// <summary>A known user whose next write finds the plan trait set to "gold" by another writer first.</summary>
    private async Task<(IUserGrain Grain, DateTime Now)> UserWhoseNextWriteMeetsAnotherWriter()
    {
        var grain = fixture.Cluster.Client.GetGrain<IUserGrain>(ClusterFixture.NewUser().GrainKey);
        var now = fixture.Time.GetUtcNow().UtcDateTime;
        await grain.Ingest([new UserEvent(EventKind.Track, "m-1", now) { Name = "Application Opened" }]);
        fixture.Storage.WriteConcurrentlyBeforeNextWrite<UserProfileState>(grain.GetGrainId(), other =>
        {
            other.Traits["plan"] = TraitValue.Of("gold", now);
            return other;
        });
        return (grain, now);
    }
}
