using BenchmarkDotNet.Attributes;
using Orleans.Segments.Benchmarks.Workload;
using Orleans.Segments.Domain.Ingestion;

namespace Orleans.Segments.Benchmarks.Micro;

/// <summary>The gateway's parse of one <c>/v1/batch</c> body of 100 mobile events (20 users × 5) into user events.</summary>
[MemoryDiagnoser]
public class ParseBatchBenchmarks
{
    private readonly SegmentMessageParser parser = new(new IngestionLimits());
    private byte[] body = [];
    private DateTime receivedAt;

    [GlobalSetup]
    public void Setup()
    {
        receivedAt = DateTime.UtcNow;
        body = SegmentJson.Batch(new Random(1), BatchShape.Default(10_000), receivedAt);
        var check = parser.ParseBatch(body, receivedAt);
        if (!check.IsValid || check.Messages.Count != 100)
        {
            throw new InvalidOperationException($"The sample batch does not parse: {string.Join("; ", check.Errors)}");
        }
    }

    [Benchmark(Description = "ParseBatch, 100 events (~70 KB)")]
    public int ParseBatch() => parser.ParseBatch(body, receivedAt).Messages.Count;
}
