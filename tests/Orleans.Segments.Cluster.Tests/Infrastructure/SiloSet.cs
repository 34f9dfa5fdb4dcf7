namespace Orleans.Segments.Cluster.Tests.Infrastructure;

/// <summary>Processes of one cluster, started together and all killed when disposed.</summary>
public sealed class SiloSet(string clusterId, IStorageServer storage) : IAsyncDisposable
{
    private readonly List<SegmentsProcess> all = [];

    public string ClusterId { get; } = clusterId;

    /// <summary>Starts <paramref name="count"/> processes in <paramref name="role"/> at once and waits until each is ready.</summary>
    public async Task<SegmentsProcess[]> StartAsync(int count, string role, string namePrefix, TimeSpan readyWithin, IEnumerable<string>? extra = null)
    {
        var started = Enumerable.Range(0, count)
            .Select(i => SegmentsProcess.Start($"{namePrefix}{all.Count + i}", role, ClusterId, storage.ServerArguments, [.. SegmentsProcess.FastFailureDetection, .. extra ?? []]))
            .ToArray();
        all.AddRange(started);
        await Task.WhenAll(started.Select(p => p.WaitUntilReadyAsync(readyWithin)));
        return started;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in all) await process.DisposeAsync();
    }
}
