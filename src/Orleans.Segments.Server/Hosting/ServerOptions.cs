namespace Orleans.Segments.Server.Hosting;

/// <summary>How this process runs, bound from <c>Segments:Server</c>.</summary>
public sealed class ServerOptions
{
    /// <summary>Run the embedded default: localhost clustering and in-memory storage. Default: true.</summary>
    public bool Embedded { get; set; } = true;

    /// <summary>Feed synthetic users and events (also the <c>--demo</c> switch). Default: false.</summary>
    public bool Demo { get; set; }

    /// <summary>The silo port of the embedded cluster. Default: 11111.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>The gateway port of the embedded cluster. Default: 30000.</summary>
    public int GatewayPort { get; set; } = 30000;
}
