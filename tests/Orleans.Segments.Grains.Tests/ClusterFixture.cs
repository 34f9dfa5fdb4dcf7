using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.Segments.Domain.Events;
using Orleans.Segments.Hosting;
using Orleans.Segments.Users;
using Orleans.Segments.Wakeups;
using Orleans.TestingHost;

namespace Orleans.Segments.Grains.Tests;

/// <summary>
/// One in-process cluster for every grain test. Grains see a <see cref="FakeTimeProvider"/>; Orleans' own
/// background loops keep real time. Time only moves forward, so tests use fresh keys and relative times.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    public FakeTimeProvider Time { get; } = new(Start);

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.Client;

    public DateTime Now => Time.GetUtcNow().UtcDateTime;

    public async Task InitializeAsync()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Segments:Apps:shop:WriteKey"] = "shop-write-key-0001",
            ["Segments:Apps:other:WriteKey"] = "other-write-key-0001",
            ["Segments:Apps:fast:Lifecycle:AtRiskAfter"] = "1.00:00:00",
            ["Segments:Apps:fast:Lifecycle:LapsedAfter"] = "3.00:00:00",
            ["Segments:Apps:generous:Caps:Marketing:0:Limit"] = "5",
            ["Segments:Apps:generous:Caps:Marketing:0:Window"] = "1.00:00:00",
            ["Segments:Apps:generous:Caps:SilentCountsAsMarketing"] = "true",

            // Journeys run over days of fake time shared with other tests; quiet hours would hold their messages.
            ["Segments:Apps:journeys:QuietHours:Enabled"] = "false",
        };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();

        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddProcessGrainStorage(SegmentsStorage.Name);
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

    public IUserGrain User(UserKey key) => Grains.GetGrain<IUserGrain>(key.GrainKey);

    public IWakeupDispatcherGrain Dispatcher => Grains.GetGrain<IWakeupDispatcherGrain>(0);

    /// <summary>Deactivates every idle grain, so the next call loads state from storage.</summary>
    public Task DeactivateAll() => Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);

    /// <summary>Moves time forward and lets the wake-up service fire everything now due.</summary>
    public async Task<long> AdvanceAndTick(TimeSpan by)
    {
        Time.Advance(by);
        return await Dispatcher.Tick();
    }

    public static UserKey NewUser(string app = "shop") => UserKey.Known(app, "user-" + Guid.NewGuid().ToString("N")[..12]);

    public UserEvent Track(string name, DateTime? at = null, string? messageId = null) =>
        new(EventKind.Track, messageId ?? Guid.NewGuid().ToString("N"), at ?? Now) { Name = name };
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
