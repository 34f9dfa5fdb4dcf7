using Orleans.Segments.Wakeups;

namespace Orleans.Segments.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class WakeupTests(ClusterFixture fixture)
{
    private static readonly WakeupSchedule Schedule = new(TimeSpan.FromMinutes(1), 16);

    [Fact]
    public async Task BucketWhoseTimeHasPassedRefusesBookings()
    {
        long past = Schedule.BucketOf(fixture.Now) - 1;
        var bucket = fixture.Grains.GetGrain<IWakeupBucketGrain>(WakeupSchedule.BucketKey(past, 0));

        Assert.False(await bucket.Book("shop/u/late", fixture.Now.AddSeconds(-30)));
    }

    [Fact]
    public async Task DispatcherFiresEveryBucketUpToNowAndRemembersWhereItStopped()
    {
        await fixture.AdvanceAndTick(TimeSpan.FromMinutes(5));
        var status = await fixture.Dispatcher.GetStatus();

        Assert.True(status.NextBucketStart <= fixture.Now);
        Assert.True(status.NextBucketStart >= fixture.Now - TimeSpan.FromMinutes(2));
    }

    [Fact]
    public async Task ManySilentUsersAreAllWoken()
    {
        var keys = Enumerable.Range(0, 200).Select(_ => ClusterFixture.NewUser()).ToList();
        await Task.WhenAll(keys.Select(k => fixture.User(k).Ingest([fixture.Track("Application Opened")])));
        await fixture.DeactivateAll();

        long before = (await fixture.Dispatcher.GetStatus()).UsersWoken;
        await fixture.AdvanceAndTick(TimeSpan.FromDays(7) + TimeSpan.FromMinutes(2));

        // Why: counted by the dispatcher (its own timer may have fired during Advance), and read before any
        // GetProfile, which would apply a due change by itself.
        long woken = (await fixture.Dispatcher.GetStatus()).UsersWoken - before;

        // Why: a wake that fails (a call timing out on a loaded machine) leaves its bucket booked and the
        // dispatcher stops there, to fire it again on its next tick; the timer would do this, so do it here.
        for (int retry = 0; retry < 5 && woken < keys.Count; retry++)
        {
            await fixture.Dispatcher.Tick();
            woken = (await fixture.Dispatcher.GetStatus()).UsersWoken - before;
        }

        var stages = await Task.WhenAll(keys.Select(async k => (await fixture.User(k).GetProfile())!.Lifecycle.Stage));

        Assert.True(woken >= keys.Count, $"woke {woken} users, expected at least {keys.Count}");
        Assert.All(stages, s => Assert.Equal("at_risk", s));
    }

    [Fact]
    public async Task BucketShardKeepsEveryBookingAcrossARestart()
    {
        long number = Schedule.BucketOf(fixture.Now) + 20_000 + Random.Shared.Next(1_000_000);
        var bucket = fixture.Grains.GetGrain<IWakeupBucketGrain>(WakeupSchedule.BucketKey(number, 3));
        var users = Enumerable.Range(0, 150).Select(_ => ClusterFixture.NewUser().GrainKey).ToList();

        // Enough bookings for several snapshots, and re-bookings (earlier and later) that land in the log.
        foreach (string user in users) Assert.True(await bucket.Book(user, Schedule.StartOf(number).AddSeconds(30)));
        foreach (string user in users.Take(40)) Assert.True(await bucket.Book(user, Schedule.StartOf(number).AddSeconds(10)));
        foreach (string user in users.Take(20)) Assert.True(await bucket.Book(user, Schedule.StartOf(number).AddSeconds(50)));
        await fixture.DeactivateAll();

        Assert.Equal(new FireResult(users.Count, 0, 0), await bucket.Fire(1_000));
    }
}
