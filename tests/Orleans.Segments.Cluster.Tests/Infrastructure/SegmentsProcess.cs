using System.Diagnostics;

namespace Orleans.Segments.Cluster.Tests.Infrastructure;

/// <summary>
/// One server process (<c>dotnet exec Orleans.Segments.Server.dll</c>) in a role, on loopback ports of its own,
/// joined to the cluster (on Redis or Azure Storage) named <paramref name="ClusterId"/>. Killed when disposed.
/// </summary>
public sealed class SegmentsProcess : IAsyncDisposable
{
    /// <summary>
    /// Membership settings that declare a killed silo dead within seconds instead of Orleans' production
    /// defaults (tens of seconds); the fault tests state recovery times against these.
    /// </summary>
    public static readonly string[] FastFailureDetection =
    [
        "--Segments:Orleans:Membership:ProbeTimeout=00:00:01",
        "--Segments:Orleans:Membership:NumMissedProbesLimit=2",
        "--Segments:Orleans:Membership:NumVotesForDeathDeclaration=1",
        "--Segments:Orleans:Membership:TableRefreshTimeout=00:00:02",
        "--Segments:Orleans:Membership:IAmAliveTablePublishTimeout=00:00:05",
        "--Segments:Orleans:Messaging:ResponseTimeout=00:00:10",
        "--Segments:Orleans:Gateway:GatewayListRefreshPeriod=00:00:02",
    ];

    private readonly Process process;

    private SegmentsProcess(Process process, string name, Uri baseAddress, OutputLog output)
    {
        this.process = process;
        Name = name;
        BaseAddress = baseAddress;
        Output = output;
    }

    public string Name { get; }

    public Uri BaseAddress { get; }

    public OutputLog Output { get; }

    public bool HasExited => process.HasExited;

    public int ExitCode => process.ExitCode;

    /// <summary>Starts a process without waiting for it to be ready.</summary>
    public static SegmentsProcess Start(string name, string role, string clusterId, IEnumerable<string> storageArguments, IEnumerable<string>? extra = null)
    {
        var ports = FreePorts.Take(3);
        var baseAddress = new Uri($"http://127.0.0.1:{ports[0]}/");
        string[] arguments =
        [
            "exec", ServerBinary.Path,
            $"--urls={baseAddress}",
            $"--Segments:Server:Role={role}",
            $"--Segments:ClusterId={clusterId}",
            .. storageArguments,
            "--Segments:Server:AdvertisedAddress=127.0.0.1",
            $"--Segments:Server:SiloPort={ports[1]}",
            $"--Segments:Server:GatewayPort={ports[2]}",
            $"--Segments:Server:OperatorKey={TestApp.OperatorKey}",
            $"--Segments:Apps:{TestApp.Shop.Id}:WriteKey={TestApp.Shop.WriteKey}",
            $"--Segments:Apps:{TestApp.Shop.Id}:AdminKey={TestApp.Shop.AdminKey}",
            $"--Segments:Apps:{TestApp.Other.Id}:WriteKey={TestApp.Other.WriteKey}",
            $"--Segments:Apps:{TestApp.Other.Id}:AdminKey={TestApp.Other.AdminKey}",
            // Why: the checks read every user back at once; rate limits have tests of their own.
            "--Segments:RateLimits:AdminKeyPerSecond=100000",
            "--Segments:RateLimits:AdminKeyBurst=100000",
            "--Segments:RateLimits:WriteKeyPerSecond=100000",
            "--Segments:RateLimits:WriteKeyBurst=100000",
            "--Logging:LogLevel:Default=Warning",
            "--Logging:LogLevel:Orleans=Warning",
            "--Logging:Console:FormatterName=simple",
            .. extra ?? [],
        ];
        return StartRaw(name, arguments, baseAddress);
    }

    /// <summary>Starts the server with exactly <paramref name="serverArguments"/> (after the dll), for start-up failure tests.</summary>
    public static SegmentsProcess StartWith(string name, IEnumerable<string> serverArguments)
    {
        var baseAddress = new Uri($"http://127.0.0.1:{FreePorts.Take(1)[0]}/");
        return StartRaw(name, ["exec", ServerBinary.Path, $"--urls={baseAddress}", .. serverArguments], baseAddress);
    }

    private static SegmentsProcess StartRaw(string name, IEnumerable<string> arguments, Uri baseAddress)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = System.IO.Path.GetDirectoryName(ServerBinary.Path)!,
        };
        foreach (string argument in arguments) start.ArgumentList.Add(argument);

        // Why: two cores shared by several processes; server GC would give each one heaps and threads per core.
        start.Environment["DOTNET_gcServer"] = "0";
        start.Environment["DOTNET_TieredPGO"] = "0";
        start.Environment.Remove("ASPNETCORE_URLS");

        var (process, output) = CapturedProcess.Start(start, "");
        return new SegmentsProcess(process, name, baseAddress, output);
    }

    /// <summary>Waits until <c>/health/ready</c> answers 200 (a grain call succeeds through this process).</summary>
    public async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (process.HasExited) Assert.Fail($"{Name} exited with {process.ExitCode} before it was ready:\n{Output.Tail()}");
            try
            {
                using var response = await http.GetAsync("health/ready");
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            // Why: a readiness poll of a real process on real time, bounded by the timeout.
            await Task.Delay(200);
        }

        Assert.Fail($"{Name} was not ready within {timeout.TotalSeconds:0} s:\n{Output.Tail()}");
    }

    /// <summary>kill -9: no goodbye to the cluster, no flush, as in a crash.</summary>
    public void KillHard()
    {
        if (!process.HasExited) Signals.Send(process.Id, Signals.Kill);
    }

    /// <summary>SIGTERM and wait: the silo leaves the cluster gracefully.</summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        if (process.HasExited) return;
        Signals.Send(process.Id, Signals.Terminate);
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            Assert.Fail($"{Name} did not stop within {timeout.TotalSeconds:0} s after SIGTERM:\n{Output.Tail()}");
        }
    }

    /// <summary>Waits for the process to exit by itself (a start-up failure), killing it after the timeout.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
            await process.WaitForExitAsync();
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }
}
