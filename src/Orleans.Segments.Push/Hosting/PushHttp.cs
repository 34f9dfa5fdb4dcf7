using System.Net.Http;

namespace Orleans.Segments.Push.Hosting;

internal static class PushHttp
{
    /// <summary>
    /// A handler for long-lived HTTP/2 connections. Why not IHttpClientFactory: it recycles handlers every few
    /// minutes, while Apple asks providers to keep connections open; and with several HTTP/2 connections allowed,
    /// the pool opens another one when the server's SETTINGS_MAX_CONCURRENT_STREAMS is reached instead of queueing.
    /// </summary>
    public static SocketsHttpHandler CreateHandler(PushTransportOptions transport)
    {
        var handler = new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = true,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(10),
            KeepAlivePingDelay = TimeSpan.FromMinutes(1),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(20),
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.Always,
            ConnectTimeout = TimeSpan.FromSeconds(10),
            UseCookies = false,
            AllowAutoRedirect = false,
        };
        transport.ConfigureHandler?.Invoke(handler);
        return handler;
    }
}
