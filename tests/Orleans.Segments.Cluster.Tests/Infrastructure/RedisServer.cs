using System.Diagnostics;

namespace Orleans.Segments.Cluster.Tests.Infrastructure;

/// <summary>
/// A redis-server of the test's own: 127.0.0.1 on a free port, in a temporary folder, without snapshots (and,
/// if asked, with an append-only file), stopped and deleted at the end. Nothing assumes a Redis already running;
/// a machine without redis-server fails the test with how to install it.
/// </summary>
public sealed class RedisServer : IStorageServer
{
    private readonly Process process;
    private readonly string directory;
    private bool paused;

    private RedisServer(Process process, string directory, int port, OutputLog output)
    {
        this.process = process;
        this.directory = directory;
        Port = port;
        Output = output;
    }

    public int Port { get; }

    public string Name => "Redis";

    public IEnumerable<string> ServerArguments => [$"--Segments:Redis:ConnectionString={ConnectionString}"];

    /// <summary>Silos Redis membership lists as active (Orleans' SiloStatus.Active is 3) in the cluster.</summary>
    public async Task<int> ActiveSilosAsync(string clusterId)
    {
        string entries = await CommandAsync("HVALS", $"orleans-segments/members/{clusterId}");
        return entries.Split('\n').Count(e => e.Contains("\"Status\":3,", StringComparison.Ordinal));
    }

    public OutputLog Output { get; }

    private static readonly SemaphoreSlim InstallLock = new(1, 1);

    /// <summary>
    /// Installs the Debian package when redis-server is missing, so that <c>dotnet test</c> works on a fresh
    /// machine as the README promises (the machines run as root; .ci/run installs it too). A failure here
    /// surfaces as the start failure below, never as a skip.
    /// </summary>
    private static async Task EnsureInstalledAsync()
    {
        await InstallLock.WaitAsync();
        try
        {
            if (OnPath("redis-server") || !OperatingSystem.IsLinux() || !OnPath("apt-get")) return;
            await Run("apt-get", "update", "-qq");
            await Run("apt-get", "install", "-y", "-qq", "redis-server");
        }
        finally
        {
            InstallLock.Release();
        }
    }

    private static bool OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Any(directory => File.Exists(Path.Combine(directory, program)));

    private static async Task Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(5));
        await Task.WhenAll(stdout, stderr);
    }

    /// <summary>The connection string the server is started with; a short timeout turns an outage into a quick 503.</summary>
    public string ConnectionString => $"127.0.0.1:{Port},asyncTimeout=1500,syncTimeout=1500,connectTimeout=2000";

    public static async Task<RedisServer> StartAsync(bool appendOnly = false)
    {
        await EnsureInstalledAsync();
        int port = FreePorts.Take(1)[0];
        string directory = Directory.CreateTempSubdirectory("segments-redis-").FullName;
        var start = new ProcessStartInfo("redis-server")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = directory,
        };
        foreach (string argument in (string[])["--port", $"{port}", "--bind", "127.0.0.1", "--dir", directory, "--save", "",
                     "--appendonly", appendOnly ? "yes" : "no", "--protected-mode", "yes", "--daemonize", "no"])
        {
            start.ArgumentList.Add(argument);
        }

        var (process, output) = CapturedProcess.Start(start, "Install it: apt-get install redis-server (.ci/run does).");
        var server = new RedisServer(process, directory, port, output);
        await LocalListener.WaitAsync(server.process, "redis-server", server.Output, TimeSpan.FromSeconds(10), server.Port);
        return server;
    }

    /// <summary>Freezes Redis (SIGSTOP): connections stay open, nothing is answered, as in a stalled server.</summary>
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

    public async Task<int> ConsoleKeysAsync() => int.Parse(await CommandAsync("LLEN", "segments:console-keys"));

    /// <summary>Runs one redis-cli command against this server and returns what it printed.</summary>
    public async Task<string> CommandAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("redis-cli") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string argument in (string[])["-h", "127.0.0.1", "-p", $"{Port}", .. arguments]) start.ArgumentList.Add(argument);
        using var cli = Process.Start(start)!;
        string text = await cli.StandardOutput.ReadToEndAsync();
        await cli.WaitForExitAsync();
        return text.Trim();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (paused) Resume();
            if (!process.HasExited) process.Kill();
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
}
