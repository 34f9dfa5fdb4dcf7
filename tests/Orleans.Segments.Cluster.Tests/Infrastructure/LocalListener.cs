using System.Diagnostics;
using System.Net.Sockets;

namespace Orleans.Segments.Cluster.Tests.Infrastructure;

/// <summary>Waits for a server process the tests started (redis-server, azurite) to accept connections.</summary>
public static class LocalListener
{
    /// <summary>Returns once every port accepts a connection; fails with the process's output if it exits or the time runs out.</summary>
    public static async Task WaitAsync(Process process, string name, OutputLog output, TimeSpan timeout, params int[] ports)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (process.HasExited) Assert.Fail($"{name} exited with {process.ExitCode}:\n{output.Tail()}");
            try
            {
                foreach (int port in ports)
                {
                    using var client = new TcpClient();
                    await client.ConnectAsync("127.0.0.1", port);
                }

                return;
            }
            catch (SocketException)
            {
                // Why: a real process starting on real time; polled, bounded by the timeout.
                await Task.Delay(50);
            }
        }

        Assert.Fail($"{name} did not listen on {string.Join(" and ", ports)} within {timeout.TotalSeconds:0} s:\n{output.Tail()}");
    }
}
