using System.Net;
using System.Net.Sockets;

namespace Orleans.Segments.Cluster.Tests.Infrastructure;

/// <summary>Loopback ports nobody listens on, all held open while the next is chosen so they differ.</summary>
public static class FreePorts
{
    public static int[] Take(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        try
        {
            foreach (var listener in listeners) listener.Start();
            return listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        }
        finally
        {
            foreach (var listener in listeners) listener.Stop();
        }
    }
}
