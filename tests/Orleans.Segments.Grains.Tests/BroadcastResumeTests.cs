using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.Segments.Campaigns;
using Orleans.Segments.Domain.Campaigns;
using Orleans.Segments.Domain.Events;
using Orleans.Segments.Domain.Segments;
using Orleans.Segments.Hosting;
using Orleans.Segments.Segments;
using Orleans.Segments.Users;
using Orleans.Serialization;
using Orleans.Storage;
using Orleans.TestingHost;

namespace Orleans.Segments.Grains.Tests;

/// <summary>Two silos sharing one storage (as real silos share Redis), so either can take over the other's grains.</summary>
public sealed class TwoSiloFixture : IAsyncLifetime
{

    public FakeTimeProvider Time { get; } = new(ClusterFixture.Start);

    public InProcessTestCluster Cluster { get; private set; } = null!;

    /// <summary>What both silos store, shared.</summary>
    public FlakyStore Storage { get; } = new();

    public async Task InitializeAsync()
    {
        var configuration = new ConfigurationBuilder().Build();
        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.AddKeyedSingleton<IGrainStorage>(SegmentsStorage.Name, (services, _) =>
                new FlakyGrainStorage(services.GetRequiredService<DeepCopier>(), Storage));
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

public sealed class BroadcastResumeTests(TwoSiloFixture fixture) : IClassFixture<TwoSiloFixture>
{
    [Fact]
    public async Task BroadcastResumesOnTheOtherSiloAfterItsSiloDiesMidPageAndNobodyGetsASecondCopy()
    {
        var grains = fixture.Cluster.Client;
        const string app = "resume";
        await grains.GetGrain<ISegmentCatalogGrain>(app).PutSegment(new SegmentDefinition("all", "Everyone", "has_push_token"));
        var users = new List<IUserGrain>();
        for (int i = 0; i < 30; i++)
        {
            var user = grains.GetGrain<IUserGrain>(UserKey.Known(app, $"u{i:00}").GrainKey);
            await user.Ingest([new UserEvent(EventKind.Track, Guid.NewGuid().ToString("N"), fixture.Time.GetUtcNow().UtcDateTime) { Name = "Application Opened" }]);
            await user.RegisterDevice(new DeviceToken(new string((char)('a' + i % 6), 64) + i, PushPlatform.Ios));
            await user.SetSubscriptions(true, true);
            users.Add(user);
        }

        var campaign = grains.GetGrain<ICampaignGrain>(CampaignGrain.Key(app, "news"));
        var definition = new CampaignDefinition("news", "News", MessageCategory.Marketing, new CampaignMessage("News", "Read all about it"), new CampaignTrigger(TriggerKind.Manual))
        {
            AudienceSegment = "all",
            ThrottlePerMinute = 10,
            QuietHours = new QuietHours { Enabled = false },
        };
        await campaign.Put(definition);
        await campaign.Launch();
        await campaign.SendNow();
        await campaign.Tick();

        // The second page is offered, but the cursor after it is never stored: its silo dies first.
        fixture.Storage.FailWrites(campaign.GetGrainId());
        fixture.Time.Advance(TimeSpan.FromMinutes(1));
        await TickExpectingFailure(campaign);
        int offeredBeforeKill = 0;
        foreach (var user in users) offeredBeforeKill += (await user.GetMessages()).Count(m => m.CampaignId == "news");
        var host = await grains.GetGrain<IManagementGrain>(0).GetActivationAddress(campaign);
        var dying = fixture.Cluster.Silos.Single(s => s.SiloAddress.Equals(host));
        await fixture.Cluster.KillSiloAsync(dying);
        fixture.Storage.HealWrites(campaign.GetGrainId());

        fixture.Time.Advance(TimeSpan.FromMinutes(1));
        await campaign.Tick();
        fixture.Time.Advance(TimeSpan.FromMinutes(1));
        await campaign.Tick();
        fixture.Time.Advance(TimeSpan.FromMinutes(1));
        await campaign.Tick(); // the last page was full, so only the next one finds the end
        var view = (await campaign.Get())!;

        Assert.Equal(20, offeredBeforeKill);
        Assert.Null(view.Broadcast);
        Assert.Equal(30, Assert.Single(view.PastBroadcasts).Offered); // the progress of the lost page was lost with it
        foreach (var user in users)
        {
            var log = (await user.GetMessages()).Where(m => m.CampaignId == "news").ToArray();

            // Users whose grains died with the silo have their push recorded as handed over, without its answer.
            Assert.Contains(Assert.Single(log).Status, new[] { MessageStatus.Delivered, MessageStatus.HandedOver });
        }

        var stats = (await campaign.GetStats()).Total();
        Assert.Equal(30, stats.Targeted);
        Assert.Equal(30, stats.Sent);
    }

    /// <summary>
    /// Ticks while the campaign's writes fail. The grain's own timer may have run the same tick first (and
    /// failed there), so whether this call throws is not the point; that the page was offered is.
    /// </summary>
    private static async Task TickExpectingFailure(ICampaignGrain campaign)
    {
        try
        {
            await campaign.Tick();
        }
        catch (Exception ex) when (ex is IOException or OrleansException)
        {
        }
    }
}
