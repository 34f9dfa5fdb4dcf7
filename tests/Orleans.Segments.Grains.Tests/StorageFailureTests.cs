using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.Segments.Domain.Campaigns;
using Orleans.Segments.Domain.Events;
using Orleans.Segments.Hosting;
using Orleans.Segments.Users;
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
}
