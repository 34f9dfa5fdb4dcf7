using Orleans.Segments.Benchmarks.Infrastructure;
using Orleans.Segments.Benchmarks.Micro;
using Orleans.Segments.Benchmarks.Scenarios;

// Benchmarks of Orleans.Segments; every figure in docs/benchmarks.md comes from one of these commands:
//   dotnet run -c Release --project tests/Orleans.Segments.Benchmarks -- <scenario> [--option value ...]
if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
{
    Console.WriteLine("""
        Scenarios (options with their defaults):
          micro [BenchmarkDotNet args]   e.g. micro --filter '*'   (parse, apply, silent-user micro benchmarks)
          grain-path   --users 10000 --events 200000 --rounds 5 --users-per-batch 20 --events-per-user 5 --concurrency 32 --anonymous-ids true --history true [--journeys 0]
          journeys     --users 100000 --rounds 3 --concurrency 32 --pairs 2 --per-event-users 10000 --per-event-rounds 3 --events 100000 --walk true
                       (users entering and steps executed through a 3-step journey with fake time; ingest with 20 live journeys beside none)
          http-batch   --users 10000 --requests 1000 --duration 60 --rounds 5 --users-per-batch 20 --events-per-user 5 --concurrency 16
                       [--url http://host:port --write-key KEY]   (default: starts the server in this process)
          memory       --users 20000 --rounds 5 --history true   (history: devices, 12 event names, 20 earlier messages)
          sweep        --users 1000000 --distinct 10000 --grain-users 50000 --spread-minutes 10 --rounds 5 [--part domain|grains]
          segments     --users 20000 --events 100000 --rounds 5 --evaluations 4096 --fences 10000 --lookups 200000 --concurrency 32 [--part domain|grains]
                       (100 segments per event, geofence lookup, grain path with/without segments, backfill users/s)
          broadcast    --users 100000 --rounds 3 --concurrency 64 --provider apns|apns-process|log [--allocation-types]
                       (a manual campaign to every user; the APNs stand-in in this process or its own, or the log sender)
          push         --seconds 10 --rounds 5 --soak-seconds 120   (APNs stand-in over TLS: our sender beside a bare HttpClient)
          production   Redis against in-memory side by side (starts its own redis-server); see docs/benchmarks.md
          storage      --users 2000 --events 5 --broadcast-users 1000 --concurrency 4
                       (Redis against Azure Storage on Azurite, side by side: durable events/s, broadcast, cold activations, bytes/user)
          server-broadcast --users 100000 --rounds 3 --bare-seconds 10
                       (the built server in its own process, APNs stand-in in another, all over HTTP; beside a bare HttpClient loop)
          console      --users 100000 --requests 40 --concurrency 32
                       (console pages over HTTP for an app with that many users, 100 segments and campaigns)
          smoke        all of the above at tiny sizes; exits non-zero on any failure (CI)
        """);
    return 0;
}

var options = new BenchArgs(args[1..]);
// Why: the APNs stand-in child speaks a line protocol on stdout whose first line must be READY.
if (args[0] != ApnsStandInProcess.Name)
{
    Console.WriteLine($"GC: {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")} ({(System.Runtime.GCSettings.IsServerGC ? "the server's mode; DOTNET_gcServer=0 for workstation" : "DOTNET_gcServer=0 is set; the server itself runs server GC")}), " +
        $"concurrent {System.Runtime.GCSettings.LatencyMode != System.Runtime.GCLatencyMode.Batch}, {Environment.ProcessorCount} cores");
}

try
{
    switch (args[0])
    {
        case "micro":
            return MicroBenchmarks.Run(args[1..]);
        case "grain-path":
            await GrainPathScenario.RunAsync(GrainPathScenario.Settings.From(options));
            return 0;
        case JourneysScenario.Name:
            await JourneysScenario.RunAsync(JourneysScenario.Settings.From(options));
            return 0;
        case "http-batch":
            await HttpBatchScenario.RunAsync(HttpBatchScenario.Settings.From(options));
            return 0;
        case "memory":
            await MemoryScenario.RunAsync(MemoryScenario.Settings.From(options));
            return 0;
        case "sweep":
            string part = options.Text("part") ?? "all";
            if (part is "all" or "domain") SweepDomainScenario.Run(SweepDomainScenario.Settings.From(options));
            if (part is "all" or "grains") await SweepGrainsScenario.RunAsync(SweepGrainsScenario.Settings.From(options));
            return 0;
        case "segments":
            await SegmentsScenario.RunAsync(SegmentsScenario.Settings.From(options));
            return 0;
        case "broadcast":
            await BroadcastScenario.RunAsync(BroadcastScenario.Settings.From(options));
            return 0;
        case ApnsStandInProcess.Name:
            await ApnsStandInProcess.RunChildAsync(options);
            return 0;
        case "push":
            return await Orleans.Segments.Benchmarks.PushThroughput.RunAsync(args[1..]);
        case "storage":
            return await Orleans.Segments.Benchmarks.Production.StorageComparison.RunAsync(args[1..]);
        case "production":
            return await Orleans.Segments.Benchmarks.Production.ProductionBenchmarks.RunAsync(args[1..]);
        case ServerBroadcastScenario.Name:
            await ServerBroadcastScenario.RunAsync(ServerBroadcastScenario.Settings.From(options));
            return 0;
        case ConsoleScenario.Name:
            await ConsoleScenario.RunAsync(ConsoleScenario.Settings.From(options));
            return 0;
        case "smoke":
            return await SmokeScenario.RunAsync();
        default:
            Console.Error.WriteLine($"Unknown scenario '{args[0]}'; run with --help.");
            return 2;
    }
}
catch (Exception ex)
{
    Console.Error.WriteLine($"FAILED {args[0]}: {ex}");
    return 1;
}
