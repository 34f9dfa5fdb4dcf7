namespace Orleans.Segments.Server.Hosting;

/// <summary>How this process runs, bound from <c>Segments:Server</c>.</summary>
public sealed class ServerOptions
{
    /// <summary>What this process is: a silo with the HTTP API, a silo only, or a gateway only. Default: <see cref="ServerRole.Cohosted"/>.</summary>
    public ServerRole Role { get; set; } = ServerRole.Cohosted;

    /// <summary>Feed synthetic users and events (also the <c>--demo</c> switch). Default: false.</summary>
    public bool Demo { get; set; }

    /// <summary>The port silos talk to each other on. Default: 11111.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>The port gateways (Orleans clients) connect to. Default: 30000.</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>
    /// The address other silos and gateways reach this silo at, with Redis clustering. Default: none (Orleans picks
    /// this host's first non-loopback address; set 127.0.0.1 to run several silos on one machine).
    /// </summary>
    public string? AdvertisedAddress { get; set; }

    /// <summary>
    /// Run under Kubernetes (Microsoft.Orleans.Hosting.Kubernetes): the silo takes its name and address from the
    /// pod (POD_NAME, POD_IP, POD_NAMESPACE) and deletes pods of silos the cluster declared dead. Default: false.
    /// </summary>
    public bool Kubernetes { get; set; }

    /// <summary>
    /// The operator's key for the dashboard and <c>/metrics</c> (HTTP Basic password, or <c>Authorization: Bearer</c>).
    /// Default: generated at start-up and printed once.
    /// </summary>
    public string? OperatorKey { get; set; }

    /// <summary>
    /// Above this much memory (the process's working set, in MB) the process reports not ready, so a load balancer
    /// sends traffic elsewhere before it runs out. Default: 90% of the memory the runtime may use (the container's
    /// limit, or the machine's).
    /// </summary>
    public long? MemoryCeilingMegabytes { get; set; }

    /// <summary>
    /// The process reports not ready when requests are waiting and none has finished for this long: its request
    /// queue is stuck. Default: 30 s.
    /// </summary>
    public TimeSpan StuckRequestsAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The host (and path) SDKs should send events to, as their settings name it: <c>events.example.com/v1</c>,
    /// without a scheme. Set it when the server sits behind a proxy or load balancer. Default: the host the
    /// settings were asked of, and <c>/v1</c>.
    /// </summary>
    public string? PublicApiHost { get; set; }

    /// <summary>
    /// Behind a reverse proxy or load balancer that terminates TLS: take the scheme and the client's address from
    /// its <c>X-Forwarded-Proto</c> and <c>X-Forwarded-For</c> headers, so console cookies are marked Secure and
    /// rate limits count real clients. Set it only when every request passes that proxy (a client reaching the
    /// process directly could claim any address). Default: false.
    /// </summary>
    public bool TrustForwardedHeaders { get; set; }

    /// <summary>The scheme browsers should use with <see cref="PublicApiHost"/>: http or https. Default: the scheme the settings were asked over.</summary>
    public string? PublicApiProtocol { get; set; }
}

/// <summary>What one server process runs.</summary>
public enum ServerRole
{
    /// <summary>A silo and the HTTP API in one process (the embedded default, and a simple production shape).</summary>
    Cohosted,

    /// <summary>A silo only: grains, storage, reminders; health, metrics and the dashboard over HTTP, no API.</summary>
    Silo,

    /// <summary>An Orleans client serving the HTTP API: ingestion scales apart from the grains. Needs Redis.</summary>
    Gateway,
}
