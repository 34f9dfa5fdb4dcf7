using System.Diagnostics;
using Azure.Data.Tables;

namespace Orleans.Segments.Cluster.Tests.Infrastructure;

/// <summary>
/// Azure's storage emulator (npm <c>azurite</c>, pinned in tests/azurite and installed there by <c>npm ci</c>, as
/// .ci/run does) of the test's own: Blob, Queue and Table on free loopback ports, in a temporary folder, stopped and
/// deleted at the end. Nothing assumes an Azurite already running; a machine without Node.js fails the test.
/// </summary>
public sealed class AzuriteServer : IStorageServer
{
    /// <summary>Azurite's well-known development account.</summary>
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static readonly SemaphoreSlim InstallLock = new(1, 1);

    private readonly Process process;
    private readonly string directory;
    private bool paused;

    private AzuriteServer(Process process, string directory, int blobPort, int tablePort, OutputLog output)
    {
        this.process = process;
        this.directory = directory;
        BlobPort = blobPort;
        TablePort = tablePort;
        Output = output;
    }

    public string Name => "Azure Storage";

    public int BlobPort { get; }

    public int TablePort { get; }

    public OutputLog Output { get; }

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{BlobPort}/devstoreaccount1;TableEndpoint=http://127.0.0.1:{TablePort}/devstoreaccount1;";

    /// <summary>Short timeouts and one retry turn an outage into a quick 503, as the Redis connection string's do.</summary>
    public IEnumerable<string> ServerArguments =>
    [
        $"--Segments:AzureStorage:ConnectionString={ConnectionString}",
        "--Segments:AzureStorage:RequestTimeout=00:00:01.500",
        "--Segments:AzureStorage:MaxRetries=1",
    ];

    public static async Task<AzuriteServer> StartAsync()
    {
        string azurite = await InstalledAsync();
        var ports = FreePorts.Take(3);
        string directory = Directory.CreateTempSubdirectory("segments-azurite-").FullName;
        var start = new ProcessStartInfo(azurite) { WorkingDirectory = directory };
        foreach (string argument in (string[])["--location", directory, "--blobHost", "127.0.0.1", "--blobPort", $"{ports[0]}", "--queueHost", "127.0.0.1",
                     "--queuePort", $"{ports[1]}", "--tableHost", "127.0.0.1", "--tablePort", $"{ports[2]}", "--skipApiVersionCheck", "--loose", "--disableTelemetry"])
        {
            start.ArgumentList.Add(argument);
        }

        var (process, output) = CapturedProcess.Start(start, "Install Node.js and run npm ci in tests/azurite (.ci/run does).");
        var server = new AzuriteServer(process, directory, ports[0], ports[2], output);
        await LocalListener.WaitAsync(server.process, "azurite", server.Output, TimeSpan.FromSeconds(30), server.BlobPort, server.TablePort);
        return server;
    }

    public void Pause()
    {
        Signals.Send(process.Id, Signals.Stop);
        paused = true;
    }

    public void Resume()
    {
        Signals.Send(process.Id, Signals.Continue);
        paused = false;
    }

    public async Task<int> ActiveSilosAsync(string clusterId)
    {
        var table = new TableClient(ConnectionString, "SegmentsSilos");
        int active = 0;
        await foreach (var entity in table.QueryAsync<TableEntity>(e => e.GetString("DeploymentId") == clusterId))
        {
            if (entity.GetString("Status") == "Active") active++;
        }

        return active;
    }

    public async Task<int> ConsoleKeysAsync()
    {
        var blob = new Azure.Storage.Blobs.BlobClient(ConnectionString, "segments-state", "console-keys.xml");
        if (!await blob.ExistsAsync()) return 0;
        var xml = System.Xml.Linq.XDocument.Load((await blob.DownloadContentAsync()).Value.Content.ToStream());
        return xml.Root!.Elements("key").Count();
    }

    /// <summary>The blob names in the grain state container, for checks of what is stored.</summary>
    public async Task<List<string>> StateBlobsAsync()
    {
        var container = new Azure.Storage.Blobs.BlobContainerClient(ConnectionString, "segments-state");
        var names = new List<string>();
        await foreach (var blob in container.GetBlobsAsync()) names.Add(blob.Name);
        return names;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (paused) Resume();
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        finally
        {
            process.Dispose();
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
                // A file still open by a dying process: the temporary folder is left behind, nothing else.
            }
        }
    }

    /// <summary>tests/azurite/node_modules/.bin/azurite, installed from the lock file if missing.</summary>
    private static async Task<string> InstalledAsync()
    {
        string folder = Path.Combine(ServerBinary.RepositoryRoot, "tests", "azurite");
        string azurite = Path.Combine(folder, "node_modules", ".bin", "azurite");
        await InstallLock.WaitAsync();
        try
        {
            if (!File.Exists(azurite))
            {
                var install = new ProcessStartInfo("npm") { WorkingDirectory = folder };
                foreach (string argument in (string[])["ci", "--no-audit", "--no-fund", "--loglevel=error"]) install.ArgumentList.Add(argument);
                var (npm, output) = CapturedProcess.Start(install, "Install Node.js and npm (.ci/run does).");
                using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(5));
                await npm.WaitForExitAsync(deadline.Token);
                Assert.True(npm.ExitCode == 0, $"npm ci in {folder} exited with {npm.ExitCode}:\n{output.Tail()}");
            }
        }
        finally
        {
            InstallLock.Release();
        }

        return azurite;
    }
}
