using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.Segments.Domain.Campaigns;
using Orleans.Segments.Domain.Events;
using Orleans.Segments.Hosting;
using Orleans.Segments.Segments;
using Orleans.Segments.Users;
using Orleans.Segments.Wakeups;
using Orleans.Storage;
using Orleans.TestingHost;

namespace Orleans.Segments.Grains.Tests;

/// <summary>A cluster whose storage can fail on demand.</summary>
public sealed class FlakyStorageFixture : IAsyncLifetime
{
    public FakeTimeProvider Time { get; } = new(ClusterFixture.Start);

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public FlakyGrainStorage Storage => (FlakyGrainStorage)Cluster.Silos[0].ServiceProvider.GetRequiredKeyedService<IGrainStorage>(SegmentsStorage.Name);

    public async Task InitializeAsync()
    {
        var configuration = new ConfigurationBuilder().Build();
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.AddKeyedSingleton<IGrainStorage, FlakyGrainStorage>(SegmentsStorage.Name);
            TestSilo.Configure(silo, configuration, Time);
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }
}

public sealed class StorageFailureTests(FlakyStorageFixture fixture) : IClassFixture<FlakyStorageFixture>
{
    [Fact]
    public async Task EventWhoseWriteFailedIsAppliedWhenRetriedNotTakenForADuplicate()
    {
        var key = ClusterFixture.NewUser();
        var grain = fixture.Cluster.Client.GetGrain<IUserGrain>(key.GrainKey);
        var e = new UserEvent(EventKind.Track, "m-unsaved", fixture.Time.GetUtcNow().UtcDateTime) { Name = "Order Completed" };

        fixture.Storage.FailWrites(grain.GetGrainId());
        await Assert.ThrowsAnyAsync<Exception>(() => grain.Ingest([e]));
        fixture.Storage.HealWrites(grain.GetGrainId());
        var retry = await grain.Ingest([e]);

        Assert.Equal(new IngestReceipt(1, 0, "new"), retry);
    }

    [Fact]
    public async Task FailedWriteLeavesNoTraceInTheProfile()
    {
        var key = ClusterFixture.NewUser();
        var grain = fixture.Cluster.Client.GetGrain<IUserGrain>(key.GrainKey);
        await grain.Ingest([new UserEvent(EventKind.Track, "m-1", fixture.Time.GetUtcNow().UtcDateTime) { Name = "Application Opened" }]);

        fixture.Storage.FailWrites(grain.GetGrainId());
        await Assert.ThrowsAnyAsync<Exception>(() => grain.SetSubscriptions(true, null));
        fixture.Storage.HealWrites(grain.GetGrainId());

        Assert.False((await grain.GetProfile())!.Subscriptions.Marketing);
    }

    [Fact]
    public async Task ReservedMessageIsNeverHandedOverTwiceEvenWhenItsOutcomeCouldNotBeSaved()
    {
        var key = ClusterFixture.NewUser();
        var grain = fixture.Cluster.Client.GetGrain<IUserGrain>(key.GrainKey);
        await grain.Ingest([new UserEvent(EventKind.Track, "m-1", fixture.Time.GetUtcNow().UtcDateTime) { Name = "Application Opened" }]);
        await grain.RegisterDevice(new DeviceToken(new string('d', 64), PushPlatform.Ios));
        await grain.SetSubscriptions(true, true);
        var request = new SendRequest("promo", "1", MessageCategory.Marketing, MessagePriority.Normal) { QuietHours = new QuietHours { Enabled = false } };

        // The reservation ("sending") is stored; the write after the hand-over, with its outcome, fails.
        fixture.Storage.FailWrites(grain.GetGrainId(), afterWrites: 1);
        await Assert.ThrowsAnyAsync<Exception>(() => grain.Send(request, new CampaignMessage("Hi", "News"), null));
        fixture.Storage.HealWrites(grain.GetGrainId());
        var retry = await grain.Send(request, new CampaignMessage("Hi", "News"), null);

        // Invariant 3: at most once per (campaign, user, occurrence), retries included.
        Assert.True(retry.Duplicate);
        Assert.Single(await grain.GetMessages(), m => m.CampaignId == "promo");
    }

    [Fact]
    public async Task IndexChangeWhoseWriteFailedIsNotKeptAndIsWrittenWhenRetried()
    {
        var shard = fixture.Cluster.Client.GetGrain<ISegmentIndexGrain>(SegmentIndexGrain.Key(NewApp(), "seg", 0));
        await shard.Apply("u-kept", true);

        fixture.Storage.FailWrites(shard.GetGrainId());
        await Assert.ThrowsAnyAsync<Exception>(() => shard.Apply("u-unsaved", true));
        fixture.Storage.HealWrites(shard.GetGrainId());
        string[] afterFailure = await shard.Page(null, 10);
        await shard.Apply("u-unsaved", true);
        await DeactivateAll();

        Assert.Equal(["u-kept"], afterFailure);
        Assert.Equal(["u-kept", "u-unsaved"], await shard.Page(null, 10));
    }

    [Fact]
    public async Task IndexShardKeepsEveryMemberWhenEmptyingItsLogFailsAfterASnapshot()
    {
        var shard = fixture.Cluster.Client.GetGrain<ISegmentIndexGrain>(SegmentIndexGrain.Key(NewApp(), "seg", 0));
        var members = Enumerable.Range(0, 60).Select(i => $"u{i:00}").ToList();
        int failedCompactions = 0;

        // Why: one write is allowed per change. A change that only appends to the log succeeds; a change that
        // compacts writes the snapshot and then fails to empty the log, leaving logged changes the snapshot holds.
        foreach (string member in members)
        {
            fixture.Storage.FailWrites(shard.GetGrainId(), afterWrites: 1);
            try
            {
                await shard.Apply(member, true);
            }
            catch
            {
                failedCompactions++;
            }

            fixture.Storage.HealWrites(shard.GetGrainId());
        }

        await shard.Apply("u07", false);
        await DeactivateAll();

        Assert.True(failedCompactions > 0, "no change compacted the log: the test did not reach its case");
        Assert.Equal(members.Where(m => m != "u07"), await shard.Page(null, 100));
    }

    [Fact]
    public async Task BookingWhoseWriteFailedIsNotAcknowledgedNorKept()
    {
        var schedule = new WakeupSchedule(TimeSpan.FromMinutes(1), 16);
        long number = schedule.BucketOf(fixture.Time.GetUtcNow().UtcDateTime) + 10_000 + Random.Shared.Next(1_000_000);
        var bucket = fixture.Cluster.Client.GetGrain<IWakeupBucketGrain>(WakeupSchedule.BucketKey(number, 0));
        string user = ClusterFixture.NewUser().GrainKey;

        fixture.Storage.FailWrites(bucket.GetGrainId());
        await Assert.ThrowsAnyAsync<Exception>(() => bucket.Book(user, schedule.StartOf(number)));
        fixture.Storage.HealWrites(bucket.GetGrainId());
        var afterFailure = await bucket.Fire(100);
        Assert.True(await bucket.Book(user, schedule.StartOf(number)));
        await DeactivateAll();

        Assert.Equal(new FireResult(0, 0, 0), afterFailure);
        Assert.Equal(new FireResult(1, 0, 0), await bucket.Fire(100));
    }

    private static string NewApp() => "flaky-" + Guid.NewGuid().ToString("N")[..10];

    private Task DeactivateAll() => fixture.Cluster.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);

    /// <summary>A launched transactional campaign of <paramref name="app"/> thanking for every order, and a user with a device.</summary>
    private async Task<(Campaigns.ICampaignGrain Campaign, IUserGrain User)> ThanksForOrders(string app)
    {
        var grains = fixture.Cluster.Client;
        var campaign = grains.GetGrain<Campaigns.ICampaignGrain>(Campaigns.CampaignGrain.Key(app, "thanks"));
        await campaign.Put(new CampaignDefinition("thanks", "Thanks", MessageCategory.Transactional, new CampaignMessage("Thanks", "Order received"),
            new CampaignTrigger(TriggerKind.Event) { Event = "Order Completed" }));
        await campaign.Launch();
        var user = grains.GetGrain<IUserGrain>(UserKey.Known(app, "u1").GrainKey);
        await user.Ingest([new UserEvent(EventKind.Track, "m-open", fixture.Time.GetUtcNow().UtcDateTime) { Name = "Application Opened" }]);
        await user.RegisterDevice(new DeviceToken(Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)), PushPlatform.Ios));
        return (campaign, user);
    }

    [Fact]
    public async Task TriggeredPushWhoseOutcomeCouldNotBeWrittenIsHandedOverOnceAndCountedOnce()
    {
        var (campaign, user) = await ThanksForOrders("flaky-campaigns");

        // The event and the "sending" record are written; the write that would record the answer fails.
        fixture.Storage.FailWrites(user.GetGrainId(), afterWrites: 2);
        await user.Ingest([new UserEvent(EventKind.Track, "m-order", fixture.Time.GetUtcNow().UtcDateTime) { Name = "Order Completed" }]);
        try
        {
            // The send runs in the grain's own follow-up turn or in this call, whichever comes first; either way
            // its last write fails.
            await user.GetMessages();
        }
        catch (OrleansException)
        {
        }

        fixture.Storage.HealWrites(user.GetGrainId());
        var entry = (await user.GetMessages()).Single(m => m.CampaignId == "thanks");
        await DeactivateAll();
        var afterRestart = (await user.GetMessages()).Single(m => m.CampaignId == "thanks");
        var stats = (await campaign.GetStats()).Total();

        Assert.Equal(MessageStatus.HandedOver, entry.Status);
        Assert.Equal(MessageStatus.HandedOver, afterRestart.Status);
        Assert.Equal(1, stats.Targeted);
        Assert.Equal(1, stats.Sent);
        Assert.Equal(0, stats.Pending);
    }

    [Fact]
    public async Task TriggeredSendIsKeptInTheOutboxWithItsCauseAndSentOnceWhenItsFirstAttemptCouldNotBeWritten()
    {
        var (campaign, user) = await ThanksForOrders("flaky-outbox");

        // The event and the send it triggers are written together; the send's own first write then fails.
        fixture.Storage.FailWrites(user.GetGrainId(), afterWrites: 1);
        await user.Ingest([new UserEvent(EventKind.Track, "m-order", fixture.Time.GetUtcNow().UtcDateTime) { Name = "Order Completed" }]);
        try
        {
            await user.GetMessages();
        }
        catch (OrleansException)
        {
            // The send runs in the grain's follow-up turn or in this call; either way its write fails.
        }

        var export = await user.Export();
        fixture.Storage.HealWrites(user.GetGrainId());
        await DeactivateAll();
        var log = (await user.GetMessages()).Where(m => m.CampaignId == "thanks").ToArray();
        var again = (await user.GetMessages()).Where(m => m.CampaignId == "thanks").ToArray();

        Assert.Single(export!.PendingSends); // still in the outbox: nothing was handed over
        Assert.DoesNotContain(export.Messages, m => m.CampaignId == "thanks");
        Assert.Equal(MessageStatus.Delivered, Assert.Single(log).Status);
        Assert.Single(again);
        Assert.Equal(1, (await campaign.GetStats()).Total().Sent);
    }

    /// <summary>A launched transactional journey of <paramref name="app"/>: a message on sign-up, then a day's wait; and a user with a device.</summary>
    private async Task<(Journeys.IJourneyGrain Journey, IUserGrain User)> WelcomeJourney(string app)
    {
        var grains = fixture.Cluster.Client;
        var journey = grains.GetGrain<Journeys.IJourneyGrain>(Journeys.JourneyGrain.Key(app, "welcome"));
        var put = await journey.Put(new Domain.Journeys.JourneyDefinition("welcome", "Welcome", new Domain.Journeys.JourneyEntry(Domain.Journeys.JourneyEntryKind.Event) { Event = "Signed Up" }, "hello",
        [
            new Domain.Journeys.JourneyStep("hello", Domain.Journeys.JourneyStepKind.Message) { Message = new CampaignMessage("Welcome", "Glad you are here"), Next = "later" },
            new Domain.Journeys.JourneyStep("later", Domain.Journeys.JourneyStepKind.Wait) { Duration = TimeSpan.FromDays(1), Next = "end" },
            new Domain.Journeys.JourneyStep("end", Domain.Journeys.JourneyStepKind.Exit),
        ]) { Category = MessageCategory.Transactional });
        Assert.Empty(put.Errors);
        await journey.Launch();
        var user = grains.GetGrain<IUserGrain>(UserKey.Known(app, "u1").GrainKey);
        await user.Ingest([new UserEvent(EventKind.Track, "m-open", fixture.Time.GetUtcNow().UtcDateTime) { Name = "Application Opened" }]);
        await user.RegisterDevice(new DeviceToken(Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)), PushPlatform.Ios));
        return (journey, user);
    }

    [Fact]
    public async Task JourneyStepWhosePushOutcomeCouldNotBeWrittenIsHandedOverOnceAndTheUserHasMovedOnOnce()
    {
        string app = NewApp();
        using var pushes = new HandOverCounter(app);
        var (journey, user) = await WelcomeJourney(app);

        // The event with the user's new position and the step's message (the outbox), and the "sending" record,
        // are written; the write that would record the push's answer fails, as if the process stopped there.
        fixture.Storage.FailWrites(user.GetGrainId(), afterWrites: 2);
        await user.Ingest([new UserEvent(EventKind.Track, "m-signup", fixture.Time.GetUtcNow().UtcDateTime) { Name = "Signed Up" }]);
        try
        {
            await user.GetMessages();
        }
        catch (OrleansException)
        {
            // The send runs in the grain's follow-up turn or in this call; either way its last write fails.
        }

        fixture.Storage.HealWrites(user.GetGrainId());
        await DeactivateAll();
        await user.Ingest([new UserEvent(EventKind.Track, "m-signup", fixture.Time.GetUtcNow().UtcDateTime) { Name = "Signed Up" }]);
        var messages = (await user.GetMessages()).Where(m => m.CampaignId == "journey:welcome").ToArray();
        var run = Assert.Single(await user.GetJourneys());
        var stats = (await journey.GetStats()).Counts.Variants;

        Assert.Equal(MessageStatus.HandedOver, Assert.Single(messages).Status);
        Assert.Equal(1, pushes.HandedOver);
        Assert.Equal("later", run.StepId);
        Assert.Single(run.Trail, t => t.Kind == Domain.Journeys.JourneyTrailKind.Message);
        Assert.Equal(1, stats["1:*"].Entered);
        Assert.Equal(1, stats["1:hello"].Targeted);
        Assert.Equal(1, stats["1:hello"].Sent);
    }

    [Fact]
    public async Task JourneyStepWhoseWriteFailedIsTakenOnceWhenTheEventIsRetried()
    {
        string app = NewApp();
        using var pushes = new HandOverCounter(app);
        var (journey, user) = await WelcomeJourney(app);
        var signUp = new UserEvent(EventKind.Track, "m-signup", fixture.Time.GetUtcNow().UtcDateTime) { Name = "Signed Up" };

        fixture.Storage.FailWrites(user.GetGrainId());
        await Assert.ThrowsAnyAsync<Exception>(() => user.Ingest([signUp]));
        var afterFailure = await user.Export();
        fixture.Storage.HealWrites(user.GetGrainId());
        await user.Ingest([signUp]);
        await user.Ingest([signUp]);
        var messages = (await user.GetMessages()).Where(m => m.CampaignId == "journey:welcome").ToArray();

        Assert.Empty(afterFailure!.Journeys);
        Assert.Empty(afterFailure.PendingSends);
        Assert.Equal(MessageStatus.Delivered, Assert.Single(messages).Status);

        // Why: a step that pushed before its position was written would have pushed in the failed attempt too.
        Assert.Equal(1, pushes.HandedOver);
        Assert.Single(await user.GetJourneys());
        Assert.Equal(1, (await journey.GetStats()).Counts.Variants["1:*"].Entered);
    }

    [Fact]
    public async Task ABroadcastWhoseTimerMeetsAnotherActivationsWriteGoesOnFromWhatWasStored()
    {
        var grains = fixture.Cluster.Client;
        const string app = "stale";
        await grains.GetGrain<ISegmentCatalogGrain>(app).PutSegment(new Domain.Segments.SegmentDefinition("all", "Everyone", "has_push_token"));
        var users = new List<IUserGrain>();
        for (int i = 0; i < 30; i++)
        {
            var user = grains.GetGrain<IUserGrain>(UserKey.Known(app, $"u{i:00}").GrainKey);
            await user.RegisterDevice(new DeviceToken(new string((char)('a' + i % 6), 64) + i, PushPlatform.Ios));
            await user.SetSubscriptions(true, true);
            users.Add(user);
        }

        var campaign = grains.GetGrain<Campaigns.ICampaignGrain>(Campaigns.CampaignGrain.Key(app, "news"));
        await campaign.Put(new CampaignDefinition("news", "News", MessageCategory.Marketing, new CampaignMessage("News", "Read all about it"), new CampaignTrigger(TriggerKind.Manual))
        {
            AudienceSegment = "all",
            ThrottlePerMinute = 10,
            QuietHours = new QuietHours { Enabled = false },
        });
        await campaign.Launch();
        await campaign.SendNow();
        await campaign.Tick();

        // Another activation (as while the grain directory settles after a silo joins) stores the campaign, so
        // the next write of this one meets a new ETag. Only the grain's own timer ticks from here on.
        fixture.Storage.WriteConcurrentlyBeforeNextWrite<Campaigns.CampaignState>(campaign.GetGrainId(), s => s);
        Campaigns.CampaignState? stored = null;
        var bound = System.Diagnostics.Stopwatch.StartNew();
        while (bound.Elapsed < TimeSpan.FromSeconds(30))
        {
            // Why: the timers run on real time (only the campaign's clock is fake), so this waits for them, bounded.
            fixture.Time.Advance(TimeSpan.FromMinutes(1));
            await campaign.Get();
            stored = fixture.Storage.Stored<Campaigns.CampaignState>(campaign.GetGrainId());
            if (stored is { Run: null, Past.Count: > 0 }) break;
            await Task.Delay(50);
        }

        Assert.True(stored is { Run: null, Past.Count: > 0 }, $"The stored broadcast never finished: {stored?.Run?.Offered} offered.");
        Assert.Equal(30, stored!.Past[^1].Offered);
        foreach (var user in users) Assert.Single(await user.GetMessages(), m => m.CampaignId == "news");
        Assert.Equal(30, (await campaign.GetStats()).Total().Targeted);
    }

    [Fact]
    public async Task AWebhookQueueThatCannotStoreNeitherFailsNorLosesAUsersEvents()
    {
        var grains = fixture.Cluster.Client;
        const string app = "exports";
        var now = fixture.Time.GetUtcNow().UtcDateTime;
        await grains.GetGrain<ISegmentCatalogGrain>(app).PutSegment(new Domain.Segments.SegmentDefinition("gold", "Gold", "trait(\"tier\") = \"gold\""));

        // Why: a port nobody listens on: deliveries fail at once and the events stay queued, where the test counts them.
        await grains.GetGrain<Webhooks.IWebhookRegistryGrain>(app).Put(new Webhooks.WebhookSettings("warehouse", "http://127.0.0.1:9/never", ["segment.entered", "segment.exited"], true, null));
        var key = UserKey.Known(app, "ada");
        var user = grains.GetGrain<IUserGrain>(key.GrainKey);
        var queue = grains.GetGrain<Webhooks.IWebhookQueueGrain>(Webhooks.WebhookQueueGrain.Key(app, "warehouse", Webhooks.WebhookQueueGrain.ShardOf(key.GrainKey)));

        fixture.Storage.FailWrites(queue.GetGrainId());
        var receipt = await user.Ingest([new UserEvent(EventKind.Identify, "m-gold", now) { Traits = new() { ["tier"] = TraitValue.Of("gold", now) } }]);
        var whileFailing = await queue.GetStatus();
        fixture.Storage.HealWrites(queue.GetGrainId());
        await user.Ingest([new UserEvent(EventKind.Identify, "m-silver", now.AddSeconds(1)) { Traits = new() { ["tier"] = TraitValue.Of("silver", now) } }]);
        var healed = await queue.GetStatus();

        Assert.Equal(1, receipt.Applied); // the change was acknowledged although its events could not be queued
        Assert.Null(whileFailing.LastDeliveredAt);
        Assert.True(healed.Pending >= 2, $"The entry (kept by the user) and the exit should both be queued: {healed}");
        Assert.Equal(0, healed.Dropped);
    }
}
