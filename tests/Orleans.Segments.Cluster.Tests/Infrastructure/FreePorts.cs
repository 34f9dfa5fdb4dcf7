using System.Net;
using System.Net.Sockets;

namespace Orleans.Segments.Cluster.Tests.Infrastructure;

/// <summary>
/// Loopback ports nobody listens on. A port is handed out once per test run: the operating system may offer
/// a port again as soon as the probe closes it, and processes started side by side must not collide.
/// </summary>
public static class FreePorts
{
    private static readonly HashSet<int> HandedOut = [];

    public static int[] Take(int count)
    {
        var ports = new List<int>();
        lock (HandedOut)
        {
            while (ports.Count < count)
            {
                var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                int port = ((IPEndPoint)listener.LocalEndpoint).Port;
                listener.Stop();
                if (HandedOut.Add(port)) ports.Add(port);
            }
        }

        return [.. ports];
    }
}
