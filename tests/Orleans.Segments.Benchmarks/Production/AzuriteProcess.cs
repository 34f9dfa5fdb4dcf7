using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Azure.Storage.Blobs;

namespace Orleans.Segments.Benchmarks.Production;

/// <summary>
/// Azurite (npm, tests/azurite, installed there by <c>npm ci</c> as .ci/run does) of the benchmark's own on free
/// loopback ports and a temporary folder; killed and deleted at the end. Azurite is Azure's emulator, not Azure:
/// what it measures is the provider's work on this machine, not the cloud's latency.
/// </summary>
public sealed class AzuriteProcess : IAsyncDisposable
{
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly Process process;
    private readonly string directory;
    private readonly int blobPort;
    private readonly int tablePort;

    private AzuriteProcess(Process process, string directory, int blobPort, int tablePort)
    {
        this.process = process;
        this.directory = directory;
        this.blobPort = blobPort;
        this.tablePort = tablePort;
    }

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{blobPort}/devstoreaccount1;TableEndpoint=http://127.0.0.1:{tablePort}/devstoreaccount1;";

    public static async Task<AzuriteProcess> StartAsync()
    {
        string azurite = Path.Combine(RepositoryRoot(), "tests", "azurite", "node_modules", ".bin", "azurite");
        if (!File.Exists(azurite)) throw new InvalidOperationException($"{azurite} is missing: run npm ci in tests/azurite (.ci/run does).");
        var ports = FreePorts(3);
        string directory = Directory.CreateTempSubdirectory("segments-bench-azurite-").FullName;
        var start = new ProcessStartInfo(azurite) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = directory };
        foreach (string argument in (string[])["--silent", "--location", directory, "--blobHost", "127.0.0.1", "--blobPort", $"{ports[0]}", "--queueHost", "127.0.0.1",
                     "--queuePort", $"{ports[1]}", "--tableHost", "127.0.0.1", "--tablePort", $"{ports[2]}", "--skipApiVersionCheck", "--loose", "--disableTelemetry"])
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new AzuriteProcess(process, directory, ports[0], ports[2]);
        for (int i = 0; i < 300; i++)
        {
            try
            {
                using var blob = new TcpClient();
                await blob.ConnectAsync("127.0.0.1", ports[0]);
                using var table = new TcpClient();
                await table.ConnectAsync("127.0.0.1", ports[2]);
                return server;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }

        throw new InvalidOperationException("azurite did not listen within 30 s.");
    }

    /// <summary>The sizes of the blobs under <paramref name="prefix"/> in the grain state container.</summary>
    public async Task<List<long>> BlobSizesAsync(string prefix)
    {
        var container = new BlobContainerClient(ConnectionString, "segments-state");
        var sizes = new List<long>();
        await foreach (var blob in container.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, prefix, CancellationToken.None)) sizes.Add(blob.Properties.ContentLength ?? 0);
        return sizes;
    }

    /// <summary>Every blob in the grain state container (all grains' state), with their total size.</summary>
    public async Task<(int Count, long Bytes)> AllBlobsAsync()
    {
        var container = new BlobContainerClient(ConnectionString, "segments-state");
        int count = 0;
        long bytes = 0;
        await foreach (var blob in container.GetBlobsAsync())
        {
            count++;
            bytes += blob.Properties.ContentLength ?? 0;
        }

        return (count, bytes);
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited) process.Kill(entireProcessTree: true);
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

    private static int[] FreePorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        foreach (var l in listeners) l.Start();
        var ports = listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        foreach (var l in listeners) l.Stop();
        return ports;
    }

    private static string RepositoryRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "Orleans.Segments.sln"))) return d.FullName;
        }

        throw new InvalidOperationException("No Orleans.Segments.sln above the benchmark binaries.");
    }
}
