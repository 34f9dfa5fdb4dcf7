using System.Diagnostics;
using Orleans.Segments.Benchmarks.Infrastructure;
using Orleans.Segments.Benchmarks.Workload;

namespace Orleans.Segments.Benchmarks.Scenarios;

/// <summary>
/// <c>smoke</c>: every scenario once at a tiny size, for CI: proves the benchmarks still run and their checks
/// (events applied, HTTP 200s, users woken) still hold. Figures at these sizes mean nothing; targets are not checked.
/// </summary>
public static class SmokeScenario
{
    public static async Task<int> RunAsync()
    {
        var steps = new (string Name, Func<Task> Run)[]
        {
            (GrainPathScenario.Name, () => GrainPathScenario.RunAsync(new(300, 1, 3_000, new BatchShape(300, 20, 5, true), 8))),
            (JourneysScenario.Name, () => JourneysScenario.RunAsync(new(300, 1, 8, 1, new(300, 1, 3_000, new BatchShape(300, 20, 5, true), 8)))),
            (HttpBatchScenario.Name, () => HttpBatchScenario.RunAsync(new(null, "wk_benchmark_write_key_0001", 1, 30, TimeSpan.FromSeconds(20), new BatchShape(300, 20, 5, true), 8))),
            (MemoryScenario.Name, () => MemoryScenario.RunAsync(new(300, 1, 8))),
            (SweepDomainScenario.Name, () => Task.Run(() => SweepDomainScenario.Run(new(20_000, 2_000, 1)))),
            (SweepGrainsScenario.Name, () => SweepGrainsScenario.RunAsync(new(300, 1, 3, 8))),
            (BroadcastScenario.Name, () => BroadcastScenario.RunAsync(new(300, 1, 8, "apns"))),
            (BroadcastScenario.Name + " (log sender)", () => BroadcastScenario.RunAsync(new(300, 1, 8, "log"))),
            (BroadcastScenario.Name + " (stand-in process)", () => BroadcastScenario.RunAsync(new(300, 1, 8, "apns-process"))),
            (SegmentsScenario.Name, () => SegmentsScenario.RunAsync(new(300, 1, 3_000, 256, 1_000, 2_000, 8, "all"))),
            (ServerBroadcastScenario.Name, () => ServerBroadcastScenario.RunAsync(new(300, 1, 2))),
            (ConsoleScenario.Name, () => ConsoleScenario.RunAsync(new(300, 3, 8))),
            ("storage (Redis and Azurite)", () => Production.StorageComparison.RunAsync(["--users", "200", "--events", "2", "--broadcast-users", "100", "--concurrency", "4"])),
        };

        Report.CheckTargets = false;
        var total = Stopwatch.StartNew();
        var failed = new List<string>();
        foreach (var (name, run) in steps)
        {
            var clock = Stopwatch.StartNew();
            try
            {
                await run();
                Console.WriteLine($"SMOKE {name}: passed in {clock.Elapsed.TotalSeconds:0.0} s");
            }
            catch (Exception ex)
            {
                failed.Add(name);
                Console.WriteLine($"SMOKE {name}: FAILED after {clock.Elapsed.TotalSeconds:0.0} s: {ex}");
            }
        }

        Console.WriteLine(failed.Count == 0
            ? $"SMOKE: all {steps.Length} scenarios passed in {total.Elapsed.TotalSeconds:0.0} s"
            : $"SMOKE: {failed.Count} of {steps.Length} failed ({string.Join(", ", failed)}) in {total.Elapsed.TotalSeconds:0.0} s");
        return failed.Count == 0 ? 0 : 1;
    }
}
