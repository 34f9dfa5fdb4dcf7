using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Orleans.Segments.Benchmarks.Infrastructure;
using Orleans.Segments.Push.StandIns;

namespace Orleans.Segments.Benchmarks.Scenarios;

/// <summary>
/// The APNs stand-in in a process of its own, as APNs is never in the engine's process: it still shares the
/// machine's cores, but not the engine's heap, garbage collections or thread pool. The parent hands it the TLS
/// certificate and the team's .p8 through files; the child answers "READY address" and then, for each "count"
/// line on its input, the number of notifications it accepted; it stops when its input closes.
/// </summary>
public sealed class ApnsStandInProcess : IAsyncDisposable
{
    public const string Name = "apns-standin";

    private readonly Process process;
    private readonly string directory;

    private ApnsStandInProcess(Process process, string directory, Uri baseAddress)
    {
        this.process = process;
        this.directory = directory;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>Starts a child process of this benchmark running the stand-in with these credentials.</summary>
    public static async Task<ApnsStandInProcess> StartAsync(X509Certificate2 certificate, string p8, string keyId, string teamId, string topic, int maxConcurrentStreams)
    {
        string directory = Directory.CreateTempSubdirectory("apns-standin-").FullName;
        string pfx = Path.Combine(directory, "tls.pfx"), key = Path.Combine(directory, "team.p8");
        await File.WriteAllBytesAsync(pfx, certificate.Export(X509ContentType.Pfx));
        await File.WriteAllTextAsync(key, p8);

        var start = new ProcessStartInfo(Environment.ProcessPath!)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        if (!Environment.ProcessPath!.EndsWith(Path.GetFileNameWithoutExtension(Assembly.GetEntryAssembly()!.Location), StringComparison.Ordinal))
        {
            // Why: run as `dotnet <dll>`, the child is the same host with the same dll.
            start.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
        }

        foreach (string arg in new[] { Name, "--cert", pfx, "--key", key, "--key-id", keyId, "--team-id", teamId, "--topic", topic, "--streams", maxConcurrentStreams.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("the stand-in process did not start");
        string? ready = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
        if (ready is null || !ready.StartsWith("READY ", StringComparison.Ordinal)) throw new InvalidOperationException($"the stand-in process said '{ready}' instead of READY");
        return new ApnsStandInProcess(process, directory, new Uri(ready["READY ".Length..]));
    }

    /// <summary>How many notifications the stand-in accepted so far.</summary>
    public async Task<long> AcceptedAsync()
    {
        await process.StandardInput.WriteLineAsync("count");
        await process.StandardInput.FlushAsync();
        string line = await process.StandardOutput.ReadLineAsync() ?? throw new InvalidOperationException("the stand-in process ended");
        return long.Parse(line, CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        process.StandardInput.Close();
        if (!process.WaitForExit(TimeSpan.FromSeconds(30))) process.Kill(entireProcessTree: true);
        process.Dispose();
        Directory.Delete(directory, recursive: true);
        await Task.CompletedTask;
    }

    /// <summary>The child's side: runs the stand-in until its input closes.</summary>
    public static async Task RunChildAsync(BenchArgs args)
    {
        using var certificate = X509CertificateLoader.LoadPkcs12FromFile(Required(args, "cert"), password: null);
        using var teamKey = ECDsa.Create();
        teamKey.ImportFromPem(await File.ReadAllTextAsync(Required(args, "key")));
        await using var apns = await ApnsStandIn.StartAsync(certificate, teamKey, Required(args, "key-id"), Required(args, "team-id"), Required(args, "topic"),
            TimeProvider.System, args.Int("streams", 1000), record: false);
        Console.Out.WriteLine($"READY {apns.BaseAddress}");
        Console.Out.Flush();
        while (await Console.In.ReadLineAsync() is { } command)
        {
            if (command == "count") Console.Out.WriteLine(apns.Accepted.ToString(CultureInfo.InvariantCulture));
            Console.Out.Flush();
        }
    }

    private static string Required(BenchArgs args, string name) => args.Text(name) ?? throw new ArgumentException($"--{name} is required");
}
