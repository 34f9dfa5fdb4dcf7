using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Orleans.Segments.Benchmarks.Infrastructure;
using Orleans.Segments.Push.StandIns;

namespace Orleans.Segments.Benchmarks.Scenarios;

/// <summary>
/// <c>server-broadcast</c>: a broadcast as a deployment runs it. The built server runs in a process of its own
/// (embedded storage, server GC as the Web SDK sets it, its own timers), the APNs stand-in in another, and the
/// benchmark only talks HTTP: it registers users with devices and consent, defines a segment and a manual
/// campaign, launches it, says "send" and waits for the campaign to say the broadcast is done. Beside it, in
/// the same run, a bare HttpClient loop sends prebuilt requests to the same stand-in: the ceiling of the HTTP/2
/// leg on this machine. Reports pushes per second, their ratio to the ceiling, and the server's CPU per push.
/// </summary>
public static class ServerBroadcastScenario
{
    public const string Name = "server-broadcast";
    private const string KeyId = "ABC123DEFG";
    private const string TeamId = "DEF123GHIJ";
    private const string Topic = "com.example.shop";
    private const string WriteKey = "wk_bench_server_0123456789";
    private const string AdminKey = "ak_bench_server_0123456789";

    /// <param name="ServerDll">Another build of the server to measure (e.g. the commit before a change); default: this checkout's.</param>
    /// <param name="CampaignThrottle">A throttlePerMinute for the campaign (older builds had a default of 60,000); default: none set.</param>
    public sealed record Settings(int Users, int Rounds, int BareSeconds, string? ServerDll = null, int? CampaignThrottle = null)
    {
        public static Settings From(BenchArgs args) =>
            new(args.Int("users", 100_000), args.Int("rounds", 3), args.Int("bare-seconds", 10), args.Text("server-dll"), args.Text("campaign-throttle") is { } t ? int.Parse(t, CultureInfo.InvariantCulture) : null);
    }

    public static async Task<Stats> RunAsync(Settings s)
    {
        using var certificate = TestCertificate.Create();
        var (_, p8) = TestKeys.NewApnsKey();
        await using var apns = await ApnsStandInProcess.StartAsync(certificate, p8, KeyId, TeamId, Topic, 1000);
        string trust = Path.Combine(Path.GetTempPath(), $"apns-standin-{Guid.NewGuid():N}.pem");
        await File.WriteAllTextAsync(trust, certificate.ExportCertificatePem());
        try
        {
            await using var server = await ServerProcess.StartAsync(s.ServerDll ?? ServerProcess.ServerDll(), apns.BaseAddress, p8, trust, s.Rounds);
            Report.Info(Name, $"server {s.ServerDll ?? "of this checkout"}, process {server.Pid} ({server.GcMode}), APNs stand-in at {apns.BaseAddress}; {s.Users:N0} users, {s.Rounds} rounds after a warm-up");
            using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(120) };

            var seeding = Stopwatch.StartNew();
            await SeedAsync(http, s.Users);
            await AdminAsync(http, HttpMethod.Put, "/v1/segments/reachable", """{"rule": "has_push_token and subscribed(\"marketing\")"}""");
            await WaitAsync(async () => (long)(await AdminAsync(http, HttpMethod.Get, "/v1/segments/reachable"))!["size"]! == s.Users, TimeSpan.FromMinutes(5), "the segment to hold every user");
            Report.Info(Name, $"seeded {s.Users:N0} users with a device and marketing consent over HTTP in {seeding.Elapsed.TotalSeconds:N0} s");
            string throttle = s.CampaignThrottle is { } perMinute ? $", \"throttlePerMinute\": {perMinute}" : "";
            await AdminAsync(http, HttpMethod.Put, "/v1/campaigns/blast", $$$"""
                {"name": "Blast", "audience": {"segment": "reachable"}, "trigger": {"type": "manual"}, "quietHours": {"enabled": false},
                 "message": {"title": "Hi {{ traits.first_name | default: \"there\" }}", "body": "Our spring sale starts now"}{{{throttle}}}}
                """);
            await AdminAsync(http, HttpMethod.Post, "/v1/campaigns/blast/launch");

            var rates = new List<double>();
            var cpu = new List<double>();
            for (int round = 0; round <= s.Rounds; round++)
            {
                long before = await apns.AcceptedAsync();
                var cpuBefore = server.CpuTime;
                var clock = Stopwatch.StartNew();
                await AdminAsync(http, HttpMethod.Post, "/v1/campaigns/blast/send");
                await WaitAsync(async () => (await AdminAsync(http, HttpMethod.Get, "/v1/campaigns/blast"))!["broadcast"] is null, TimeSpan.FromMinutes(10), "the broadcast to finish");
                double seconds = clock.Elapsed.TotalSeconds;
                long pushed = await apns.AcceptedAsync() - before;
                double cpuPerPush = (server.CpuTime - cpuBefore).TotalMicroseconds / Math.Max(1, pushed);
                if (pushed != s.Users) throw new InvalidOperationException($"round {round}: the stand-in accepted {pushed:N0} pushes for {s.Users:N0} users");
                string text = $"{pushed:N0} pushes in {seconds:N1} s ({pushed / seconds:N0}/s); server CPU {cpuPerPush:N1} core-µs per push";
                if (round == 0)
                {
                    Report.Info(Name, $"warm-up: {text}, not counted");
                    continue;
                }

                rates.Add(pushed / seconds);
                cpu.Add(cpuPerPush);
                Report.Round(Name, round, s.Rounds, text);
            }

            var bare = await BareApnsLoop.RateAsync(apns.BaseAddress, p8, certificate, KeyId, TeamId, Topic, TimeSpan.FromSeconds(s.BareSeconds));
            var rate = Stats.Of(rates);
            Report.Result(Name, $"broadcast to {s.Users:N0} users through the running server to the APNs stand-in in its own process", rate, "pushes/s");
            Report.Result(Name, "server CPU per push", Stats.Of(cpu), "core-µs");
            Report.Derived(Name, $"bare HttpClient loop to the same stand-in, same run: {bare:N0} pushes/s; the server reaches {rate.Median / bare:P0} of it (target >= 50 %)");
            return rate;
        }
        finally
        {
            File.Delete(trust);
        }
    }

    /// <summary>Identify calls with a device token (in batches of 100), then marketing consent per user.</summary>
    private static async Task SeedAsync(HttpClient http, int users)
    {
        const int perBatch = 100;
        await Load.RunAsync((users + perBatch - 1) / perBatch, 4, null, async b =>
        {
            var batch = new JsonArray();
            for (int i = b * perBatch; i < Math.Min(users, (b + 1) * perBatch); i++)
            {
                batch.Add(new JsonObject
                {
                    ["type"] = "identify",
                    ["userId"] = UserId(i),
                    ["messageId"] = $"seed-{i}",
                    ["traits"] = new JsonObject { ["first_name"] = i % 2 == 0 ? "Ada" : "Grace" },
                    ["context"] = new JsonObject { ["device"] = new JsonObject { ["type"] = "ios", ["token"] = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)) } },
                });
            }

            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/batch") { Content = new StringContent(new JsonObject { ["batch"] = batch }.ToJsonString(), Encoding.UTF8, "application/json") };
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(WriteKey + ":")));
            using var response = await http.SendAsync(request);
            if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"batch {b}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        });
        await Load.RunAsync(users, 32, null, i => AdminAsync(http, HttpMethod.Put, $"/v1/users/{UserId(i)}/subscriptions", """{"marketing": true}"""));
    }

    private static string UserId(int i) => $"user-{i:D7}";

    private static async Task<JsonNode?> AdminAsync(HttpClient http, HttpMethod method, string path, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        if (json is not null) request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await http.SendAsync(request);
        string body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{method} {path}: {(int)response.StatusCode} {body}");
        return body.Length == 0 ? null : JsonNode.Parse(body);
    }

    /// <summary>Polls every 100 ms until <paramref name="done"/>; a real process answers in its own time.</summary>
    private static async Task WaitAsync(Func<Task<bool>> done, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!await done())
        {
            if (clock.Elapsed > timeout) throw new TimeoutException($"waited {timeout.TotalSeconds:N0} s for {what}");
            await Task.Delay(100);
        }
    }

    /// <summary>The built server (same configuration as this benchmark) in a process of its own.</summary>
    private sealed class ServerProcess : IAsyncDisposable
    {
        private readonly Process process;
        private readonly StringBuilder output = new();

        private ServerProcess(Process process, Uri baseAddress)
        {
            this.process = process;
            BaseAddress = baseAddress;
        }

        public Uri BaseAddress { get; }

        public int Pid => process.Id;

        public TimeSpan CpuTime
        {
            get
            {
                process.Refresh();
                return process.TotalProcessorTime;
            }
        }

        public string GcMode => Environment.GetEnvironmentVariable("DOTNET_gcServer") == "0" ? "workstation GC" : "server GC (the Web SDK's default)";

        public static async Task<ServerProcess> StartAsync(string dll, Uri apns, string p8, string trustedCertificate, int rounds)
        {
            int[] ports = FreePorts(3);
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add(dll);
            string[] args =
            [
                $"--urls=http://127.0.0.1:{ports[0]}",
                $"--Segments:ClusterId=bench-server-{Guid.NewGuid():N}",
                $"--Segments:Server:SiloPort={ports[1]}",
                $"--Segments:Server:GatewayPort={ports[2]}",
                "--Segments:Server:AdvertisedAddress=127.0.0.1",
                "--Segments:Server:OperatorKey=op_bench_server_0123456789",
                $"--Segments:Apps:bench:WriteKey={WriteKey}",
                $"--Segments:Apps:bench:AdminKey={AdminKey}",
                "--Segments:Apps:bench:QuietHours:Enabled=false",
                // Why: every round is one more occurrence for every user; the caps must hold them all.
                $"--Segments:Apps:bench:Caps:Marketing:0:Limit={rounds + 2}",
                $"--Segments:Apps:bench:Caps:Marketing:1:Limit={rounds + 2}",
                "--Segments:Apps:bench:Caps:HighPriorityReserve=0",
                $"--Segments:Apps:bench:Push:Apns:KeyId={KeyId}",
                $"--Segments:Apps:bench:Push:Apns:TeamId={TeamId}",
                $"--Segments:Apps:bench:Push:Apns:BundleId={Topic}",
                $"--Segments:Apps:bench:Push:Apns:PrivateKey={p8}",
                $"--Segments:Apps:bench:Push:Apns:BaseAddress={apns}",
                "--Segments:RateLimits:Enabled=false",
                "--Logging:LogLevel:Default=Warning",
                "--Logging:LogLevel:Orleans=Error",
            ];
            foreach (string arg in args) start.ArgumentList.Add(arg);
            start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";

            // Why: the stand-in's self-signed certificate is trusted the way an operator trusts a private CA on Linux.
            start.Environment["SSL_CERT_FILE"] = trustedCertificate;
            var process = Process.Start(start) ?? throw new InvalidOperationException("the server did not start");
            var server = new ServerProcess(process, new Uri($"http://127.0.0.1:{ports[0]}"));
            process.OutputDataReceived += (_, e) => server.Append(e.Data);
            process.ErrorDataReceived += (_, e) => server.Append(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            using var probe = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
            var clock = Stopwatch.StartNew();
            while (true)
            {
                if (process.HasExited) throw new InvalidOperationException($"the server exited with {process.ExitCode}:\n{server.Output}");
                try
                {
                    using var ready = await probe.GetAsync("/health/ready");
                    if (ready.StatusCode == HttpStatusCode.OK) return server;
                }
                catch (HttpRequestException)
                {
                    // Not listening yet.
                }

                if (clock.Elapsed > TimeSpan.FromSeconds(90)) throw new TimeoutException($"the server was not ready in 90 s:\n{server.Output}");
                await Task.Delay(200);
            }
        }

        private string Output
        {
            get
            {
                lock (output) return output.ToString();
            }
        }

        private void Append(string? line)
        {
            if (line is null) return;
            lock (output)
            {
                if (output.Length < 200_000) output.AppendLine(line);
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            process.Dispose();
        }

        public static string ServerDll()
        {
            string configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";
            for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            {
                string dll = Path.Combine(directory.FullName, "src", "Orleans.Segments.Server", "bin", configuration, "net10.0", "Orleans.Segments.Server.dll");
                if (File.Exists(dll)) return dll;
            }

            throw new InvalidOperationException($"The {configuration} server is not built; build Orleans.Segments.sln -c {configuration} first.");
        }

        private static int[] FreePorts(int count)
        {
            var listeners = Enumerable.Range(0, count).Select(_ => new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0)).ToList();
            foreach (var l in listeners) l.Start();
            var ports = listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
            foreach (var l in listeners) l.Stop();
            return ports;
        }
    }
}
