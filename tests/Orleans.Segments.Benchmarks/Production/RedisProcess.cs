using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Orleans.Segments.Benchmarks.Production;

/// <summary>
/// A redis-server of the benchmark's own on 127.0.0.1 and a free port, in a temporary folder, with an append-only
/// file fsynced every second (the durability the docs recommend); killed and deleted at the end.
/// </summary>
public sealed class RedisProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly string directory;

    private RedisProcess(Process process, string directory, int port)
    {
        this.process = process;
        this.directory = directory;
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString => $"127.0.0.1:{Port}";

    public static async Task<RedisProcess> StartAsync()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        string directory = Directory.CreateTempSubdirectory("segments-bench-redis-").FullName;
        var start = new ProcessStartInfo("redis-server") { UseShellExecute = false, RedirectStandardOutput = true, WorkingDirectory = directory };
        foreach (string argument in (string[])["--port", $"{port}", "--bind", "127.0.0.1", "--dir", directory, "--save", "", "--appendonly", "yes", "--appendfsync", "everysec"])
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start; install it: apt-get install redis-server.");
        process.OutputDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        var redis = new RedisProcess(process, directory, port);
        for (int i = 0; i < 100; i++)
        {
            if (await redis.CommandAsync("PING") == "PONG") return redis;
            await Task.Delay(50);
        }

        throw new InvalidOperationException($"redis-server did not answer on port {port}.");
    }

    public async Task<string> CommandAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("redis-cli") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in (string[])["-h", "127.0.0.1", "-p", $"{Port}", .. arguments]) start.ArgumentList.Add(argument);
        using var cli = Process.Start(start)!;
        string text = await cli.StandardOutput.ReadToEndAsync();
        await cli.WaitForExitAsync();
        return text.Trim();
    }

    /// <summary>A field of INFO, e.g. <c>used_memory</c>.</summary>
    public async Task<long> InfoAsync(string section, string field)
    {
        string info = await CommandAsync("INFO", section);
        string line = info.Split('\n').Select(l => l.Trim()).First(l => l.StartsWith(field + ":", StringComparison.Ordinal));
        return long.Parse(line[(field.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited) process.Kill();
        await process.WaitForExitAsync();
        process.Dispose();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
