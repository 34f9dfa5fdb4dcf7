using System.Net;
using Orleans.Configuration;
using Orleans.Dashboard;
using Orleans.Segments.Hosting;

namespace Orleans.Segments.Server.Hosting;

/// <summary>How the silo (roles cohosted and silo) and the client (role gateway) of this process are built.</summary>
public static class SiloHosting
{
    /// <summary>
    /// Redis or Azure Storage configured: membership, grain state and reminders there, ports and advertised address
    /// as set. Otherwise the embedded default: localhost clustering and in-memory state.
    /// </summary>
    public static ISiloBuilder ConfigureSegmentsSilo(this ISiloBuilder silo, IConfiguration configuration, ServerOptions server, StorageBackend backend)
    {
        silo.Configure<ClusterOptions>(o => ConfigureCluster(o, configuration));
        if (backend.Kind != StorageKind.Embedded)
        {
            silo.Configure<EndpointOptions>(o =>
            {
                o.SiloPort = server.SiloPort;
                o.GatewayPort = server.GatewayPort;
                if (server.AdvertisedAddress is { } address) o.AdvertisedIPAddress = IPAddress.Parse(address);
            });
            if (backend.Kind == StorageKind.Redis) silo.UseSegmentsRedis(backend.Redis);
            else silo.UseSegmentsAzureStorage(backend.Azure);
            if (server.Kubernetes) silo.UseKubernetesHosting();
        }
        else
        {
            silo.UseLocalhostClustering(server.SiloPort, server.GatewayPort);
            silo.AddProcessGrainStorage(SegmentsStorage.Name);
            silo.UseInMemoryReminderService();
            silo.AddMemoryGrainStorage("PubSubStore");
        }

        // Why: how fast a dead silo is declared dead is the operator's trade-off (false positives against
        // recovery time); the defaults are Orleans' own.
        silo.Services.Configure<ClusterMembershipOptions>(configuration.GetSection("Segments:Orleans:Membership"));
        silo.Services.Configure<SiloMessagingOptions>(configuration.GetSection("Segments:Orleans:Messaging"));
        silo.AddMemoryStreams(SegmentsStreams.Provider);
        silo.AddDashboard();
        silo.AddSegments(configuration);
        return silo;
    }

    /// <summary>The gateway role: an Orleans client that finds the silos through the backend's membership table.</summary>
    public static IClientBuilder ConfigureSegmentsClient(this IClientBuilder client, IConfiguration configuration, StorageBackend backend)
    {
        client.Configure<ClusterOptions>(o => ConfigureCluster(o, configuration));
        if (backend.Kind == StorageKind.Redis) client.UseSegmentsRedis(backend.Redis);
        else client.UseSegmentsAzureStorage(backend.Azure);

        // Why: a gateway learns of new and dead silos by re-reading membership; a minute (Orleans' default)
        // is long for a cluster that scales out under load.
        client.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = TimeSpan.FromSeconds(10));
        client.Services.Configure<GatewayOptions>(configuration.GetSection("Segments:Orleans:Gateway"));
        client.Services.Configure<ClientMessagingOptions>(configuration.GetSection("Segments:Orleans:Messaging"));
        client.UseConnectionRetryFilter<GatewayConnectRetry>();
        client.AddDashboard();
        return client;
    }

    private static void ConfigureCluster(ClusterOptions options, IConfiguration configuration)
    {
        options.ClusterId = configuration["Segments:ClusterId"] ?? "segments";
        options.ServiceId = "orleans-segments";
    }
}
