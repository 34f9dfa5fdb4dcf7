using System.Diagnostics;
using System.Net;
using System.Net.Http;
using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Segments.Domain.Events;
using Orleans.Segments.Push;
using Orleans.Segments.Push.Apns;
using Orleans.Segments.Push.Hosting;
using Orleans.Segments.Push.StandIns;

namespace Orleans.Segments.Benchmarks;

/// <summary>
/// `-- push`: notifications per second to the local APNs stand-in over TLS and HTTP/2, through our sender
/// (PushSenders, as the server uses it) side by side with a bare HttpClient loop sending the same requests
/// (the ceiling), alternating rounds; then a soak run of our sender reporting memory at its start and end.
/// Options: --seconds (per round, 15), --rounds (3), --soak-seconds (120), --concurrency (256), --streams (1000).
/// </summary>
public static class PushThroughput
{
    private const string KeyId = "ABC123DEFG";
    private const string TeamId = "DEF123GHIJ";
    private const string Topic = "com.example.shop";

    public static async Task<int> RunAsync(string[] args)
    {
        int seconds = Option(args, "--seconds", 15);
        int rounds = Option(args, "--rounds", 3);
        int soakSeconds = Option(args, "--soak-seconds", 120);
        int concurrency = Option(args, "--concurrency", 256);
        int streams = Option(args, "--streams", 1000);

        using var certificate = TestCertificate.Create();
        var (teamKey, p8) = TestKeys.NewApnsKey();
        await using var apns = await ApnsStandIn.StartAsync(certificate, teamKey, KeyId, TeamId, Topic, TimeProvider.System, streams, record: false);
        var transport = new PushTransportOptions { ConfigureHandler = handler => TestCertificate.Trust(handler, certificate) };

        await using var services = OurServices(apns.BaseAddress, p8, transport);
        var ours = services.GetRequiredService<PushSenders>().For("bench");
        using var bare = new BareApnsLoop(apns.BaseAddress, p8, transport, KeyId, TeamId, Topic);
        var tokens = Enumerable.Range(0, 4096).Select(_ => new DeviceToken(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)), PushPlatform.Ios)).ToArray();
        var message = new PushMessage { Title = "Your order shipped", Body = "It arrives on Thursday.", Sound = "default" };
        PrintMachine(seconds, rounds, soakSeconds, concurrency, streams);

        Console.WriteLine("warming up (5 s each)");
        await Run(concurrency, TimeSpan.FromSeconds(5), tokens, (token, ct) => bare.SendAsync(token, ct));
        await Run(concurrency, TimeSpan.FromSeconds(5), tokens, (token, ct) => SendOurs(ours, message, token, ct));

        var bareRates = new List<double>();
        var ourRates = new List<double>();
        for (int round = 1; round <= rounds; round++)
        {
            var b = await Run(concurrency, TimeSpan.FromSeconds(seconds), tokens, (token, ct) => bare.SendAsync(token, ct));
            var o = await Run(concurrency, TimeSpan.FromSeconds(seconds), tokens, (token, ct) => SendOurs(ours, message, token, ct));
            bareRates.Add(b.Rate);
            ourRates.Add(o.Rate);
            Console.WriteLine($"round {round}: bare HttpClient {b.Rate,9:N0}/s ({b.Failures} failed)   our sender {o.Rate,9:N0}/s ({o.Failures} failed)");
        }

        double bareMedian = Median(bareRates), ourMedian = Median(ourRates);
        Console.WriteLine($"median: bare HttpClient {bareMedian:N0}/s, our sender {ourMedian:N0}/s, ratio {ourMedian / bareMedian:P0}");

        Console.WriteLine($"soak: our sender for {soakSeconds} s");
        var start = Memory.Now();
        var samples = new List<(int Second, Memory Memory)>();
        long soakSent = 0;
        var soakClock = Stopwatch.StartNew();
        while (soakClock.Elapsed < TimeSpan.FromSeconds(soakSeconds))
        {
            var slice = await Run(concurrency, TimeSpan.FromSeconds(Math.Min(10, soakSeconds - soakClock.Elapsed.TotalSeconds)), tokens, (token, ct) => SendOurs(ours, message, token, ct));
            soakSent += slice.Sent;
            samples.Add(((int)soakClock.Elapsed.TotalSeconds, Memory.Now(fullCollection: false)));
        }

        var end = Memory.Now();
        foreach (var (second, memory) in samples) Console.WriteLine($"  t={second,4}s  {memory}");
        Console.WriteLine($"soak: {soakSent:N0} notifications in {soakClock.Elapsed.TotalSeconds:N0} s ({soakSent / soakClock.Elapsed.TotalSeconds:N0}/s), stand-in accepted {apns.Accepted:N0} in all");
        Console.WriteLine($"memory after a full GC: start {start}; end {end}");
        teamKey.Dispose();
        return 0;
    }

    private static async Task<bool> SendOurs(IPushSender sender, PushMessage message, DeviceToken token, CancellationToken ct) =>
        await sender.SendAsync(message, token, ct) is Delivered;

    private static ServiceProvider OurServices(Uri apns, string p8, PushTransportOptions transport)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Segments:Apps:bench:Push:Apns:KeyId"] = KeyId,
            ["Segments:Apps:bench:Push:Apns:TeamId"] = TeamId,
            ["Segments:Apps:bench:Push:Apns:BundleId"] = Topic,
            ["Segments:Apps:bench:Push:Apns:PrivateKey"] = p8,
            ["Segments:Apps:bench:Push:Apns:BaseAddress"] = apns.ToString(),
        }).Build();
        var services = new ServiceCollection().AddLogging().AddSegmentsPush(configuration);
        services.Configure<PushTransportOptions>(o => o.ConfigureHandler = transport.ConfigureHandler);
        var provider = services.BuildServiceProvider();
        provider.GetRequiredService<Microsoft.Extensions.Options.IStartupValidator>().Validate();
        return provider;
    }

    /// <summary>Runs <paramref name="concurrency"/> loops sending until <paramref name="duration"/> has passed.</summary>
    internal static async Task<(long Sent, long Failures, double Rate)> Run(int concurrency, TimeSpan duration, DeviceToken[] tokens, Func<DeviceToken, CancellationToken, Task<bool>> send)
    {
        long sent = 0, failures = 0;
        var clock = Stopwatch.StartNew();
        var loops = Enumerable.Range(0, concurrency).Select(async worker =>
        {
            int next = worker;
            while (clock.Elapsed < duration)
            {
                bool ok = await send(tokens[next++ % tokens.Length], CancellationToken.None);
                Interlocked.Increment(ref sent);
                if (!ok) Interlocked.Increment(ref failures);
            }
        });
        await Task.WhenAll(loops);
        return (sent, failures, sent / clock.Elapsed.TotalSeconds);
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static int Option(string[] args, string name, int fallback)
    {
        int index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length && int.TryParse(args[index + 1], out int value) ? value : fallback;
    }

    private static void PrintMachine(int seconds, int rounds, int soakSeconds, int concurrency, int streams)
    {
        string cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?"
            : "?";
        Console.WriteLine($"push benchmark {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; {Environment.ProcessorCount} cores, {cpu}, " +
            $"{GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1 << 30)} GiB, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, " +
            $".NET {Environment.Version}, server GC {System.Runtime.GCSettings.IsServerGC}");
        Console.WriteLine($"rounds {rounds} x {seconds} s per side, concurrency {concurrency}, stand-in max streams per connection {streams}, soak {soakSeconds} s");
    }

    private readonly record struct Memory(long WorkingSet, long GcHeap, long Allocated)
    {
        public static Memory Now(bool fullCollection = true)
        {
            if (fullCollection)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                GC.Collect();
            }

            return new Memory(Environment.WorkingSet, GC.GetTotalMemory(false), GC.GetTotalAllocatedBytes());
        }

        public override string ToString() => $"working set {WorkingSet / 1048576.0:N0} MiB, GC heap {GcHeap / 1048576.0:N1} MiB";
    }
}

/// <summary>The ceiling: the same requests our sender makes, prebuilt, over an HttpClient with the same handler settings.</summary>
internal sealed class BareApnsLoop : IDisposable
{
    private readonly HttpClient client;
    private readonly string topic;
    private readonly ApnsProviderToken token;
    private readonly byte[] payload = """{"aps":{"alert":{"title":"Your order shipped","body":"It arrives on Thursday."},"sound":"default"}}"""u8.ToArray();

    public BareApnsLoop(Uri apns, string p8, PushTransportOptions transport, string keyId, string teamId, string topic)
    {
        this.topic = topic;
        token = new ApnsProviderToken(ApnsKey.Load(new ApnsOptions { PrivateKey = p8 }), keyId, teamId, TimeSpan.FromMinutes(50), TimeProvider.System);
        client = new HttpClient(PushHttp.CreateHandler(transport)) { BaseAddress = apns };
    }

    public async Task<bool> SendAsync(DeviceToken device, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "3/device/" + device.Token)
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(payload),
        };
        request.Headers.TryAddWithoutValidation("authorization", token.Current().Authorization);
        request.Headers.TryAddWithoutValidation("apns-topic", topic);
        request.Headers.TryAddWithoutValidation("apns-push-type", "alert");
        request.Headers.TryAddWithoutValidation("apns-priority", "10");
        request.Headers.TryAddWithoutValidation("apns-id", Guid.NewGuid().ToString("D"));
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        return response.StatusCode == HttpStatusCode.OK;
    }

    /// <summary>Pushes per second of the loop, 256 in flight, over <paramref name="duration"/> after a 3-second warm-up.</summary>
    public static async Task<double> RateAsync(Uri apns, string p8, System.Security.Cryptography.X509Certificates.X509Certificate2 certificate, string keyId, string teamId, string topic, TimeSpan duration)
    {
        var transport = new PushTransportOptions { ConfigureHandler = handler => TestCertificate.Trust(handler, certificate) };
        using var loop = new BareApnsLoop(apns, p8, transport, keyId, teamId, topic);
        var tokens = Enumerable.Range(0, 4096).Select(_ => new DeviceToken(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)), PushPlatform.Ios)).ToArray();
        await PushThroughput.Run(256, TimeSpan.FromSeconds(3), tokens, loop.SendAsync);
        return (await PushThroughput.Run(256, duration, tokens, loop.SendAsync)).Rate;
    }

    public void Dispose()
    {
        client.Dispose();
        token.Dispose();
    }
}
