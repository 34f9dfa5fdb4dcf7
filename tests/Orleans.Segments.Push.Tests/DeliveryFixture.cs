using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.Segments.Hosting;
using Orleans.Segments.Push.Delivery;
using Orleans.Segments.Push.Hosting;
using Orleans.Segments.Push.StandIns;
using Orleans.Segments.Users;
using Orleans.TestingHost;

namespace Orleans.Segments.Push.Tests;

/// <summary>
/// An in-process silo with the user grain and push delivery registered as the server registers them, sending to
/// both stand-ins. Grains and senders share one fake clock; Orleans' own loops keep real time.
/// </summary>
public sealed class DeliveryFixture : IAsyncLifetime
{
    private readonly (ECDsa Key, string P8) teamKey = TestKeys.NewApnsKey();
    private readonly RSA accountKey = RSA.Create(2048);
    private readonly X509Certificate2 certificate = TestCertificate.Create();

    public FakeTimeProvider Time { get; } = new(Credentials.Start);

    public ApnsStandIn Apns { get; private set; } = null!;

    public FcmStandIn Fcm { get; private set; } = null!;

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public PushDelivery Delivery => Cluster.Silos[0].ServiceProvider.GetRequiredService<PushDelivery>();

    public DateTime Now => Time.GetUtcNow().UtcDateTime;

    public async Task InitializeAsync()
    {
        Apns = await ApnsStandIn.StartAsync(certificate, teamKey.Key, Credentials.KeyId, Credentials.TeamId, Credentials.BundleId, Time);
        Fcm = await FcmStandIn.StartAsync(certificate, accountKey, Credentials.ClientEmail, Credentials.ProjectId, Time);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Segments:Apps:shop:WriteKey"] = "shop-write-key-0001",
            ["Segments:Apps:shop:Push:Apns:KeyId"] = Credentials.KeyId,
            ["Segments:Apps:shop:Push:Apns:TeamId"] = Credentials.TeamId,
            ["Segments:Apps:shop:Push:Apns:BundleId"] = Credentials.BundleId,
            ["Segments:Apps:shop:Push:Apns:PrivateKey"] = teamKey.P8,
            ["Segments:Apps:shop:Push:Apns:BaseAddress"] = Apns.BaseAddress.ToString(),
            ["Segments:Apps:shop:Push:Fcm:ProjectId"] = Credentials.ProjectId,
            ["Segments:Apps:shop:Push:Fcm:ServiceAccountJson"] = TestKeys.ServiceAccountJson(accountKey, Fcm.TokenUri, Credentials.ProjectId, Credentials.ClientEmail),
            ["Segments:Apps:shop:Push:Fcm:BaseAddress"] = Fcm.BaseAddress.ToString(),

            // A small budget, so the Live Activity tests pass it in a few updates.
            ["Segments:Apps:shop:LiveActivities:HighPriorityPerHour"] = "3",
        }).Build();

        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddProcessGrainStorage(SegmentsStorage.Name);
            silo.UseInMemoryReminderService();
            silo.AddSegments(configuration);
            silo.Services.AddSegmentsPush(configuration);
            silo.Services.Configure<PushTransportOptions>(o => o.ConfigureHandler = handler => TestCertificate.Trust(handler, certificate));
            silo.Services.AddSingleton<TimeProvider>(Time);
            silo.Services.UseTimeProviderForBackgroundAreas(TimeProvider.System);
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
        await Apns.DisposeAsync();
        await Fcm.DisposeAsync();
        teamKey.Key.Dispose();
        accountKey.Dispose();
        certificate.Dispose();
    }

    public IUserGrain User(UserKey key) => Cluster.Client.GetGrain<IUserGrain>(key.GrainKey);

    public static UserKey NewUser() => UserKey.Known("shop", "user-" + Guid.NewGuid().ToString("N")[..12]);
}

[CollectionDefinition(Name)]
public sealed class DeliveryCollection : ICollectionFixture<DeliveryFixture>
{
    public const string Name = "delivery";
}
