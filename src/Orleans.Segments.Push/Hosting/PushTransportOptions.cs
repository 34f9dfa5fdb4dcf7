using System.Net.Http;

namespace Orleans.Segments.Push.Hosting;

/// <summary>How the senders' HTTP connections are made; code-only, not bound from configuration.</summary>
public sealed class PushTransportOptions
{
    /// <summary>
    /// Adjusts every handler the senders create (APNs, FCM and Google's token requests). Tests use it to trust the
    /// stand-ins' self-signed certificate; production leaves it unset so the system's certificate checks apply.
    /// Default: none.
    /// </summary>
    public Action<SocketsHttpHandler>? ConfigureHandler { get; set; }
}
