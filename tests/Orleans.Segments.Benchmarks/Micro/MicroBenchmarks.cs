using BenchmarkDotNet.Running;

namespace Orleans.Segments.Benchmarks.Micro;

/// <summary><c>micro</c>: BenchmarkDotNet over the classes of this folder; the remaining arguments go to BenchmarkDotNet.</summary>
public static class MicroBenchmarks
{
    public static int Run(string[] args)
    {
        var summaries = BenchmarkSwitcher.FromAssembly(typeof(MicroBenchmarks).Assembly).Run(args);
        return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
    }
}
