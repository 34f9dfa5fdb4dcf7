using System.Collections.Concurrent;
using Orleans.Serialization;
using Orleans.Storage;

namespace Orleans.Segments.Grains.Tests;

/// <summary>
/// An in-memory grain storage whose writes can be made to fail for chosen grains, or to meet a concurrent
/// writer (another activation of the same grain): a fake for testing what grains do when storage fails or
/// conflicts, not a stand-in for a real provider. Like the real providers it checks ETags on write. Silos
/// given the same <see cref="FlakyStore"/> share what is stored, as silos share a real database.
/// </summary>
public sealed class FlakyGrainStorage(DeepCopier copier, FlakyStore? shared = null) : IGrainStorage
{
    private readonly FlakyStore backing = shared ?? new FlakyStore();

    private ConcurrentDictionary<(string, GrainId), (object State, string ETag)> store => backing.Store;

    /// <summary>Per failing grain, how many writes still succeed before they fail.</summary>
    private ConcurrentDictionary<GrainId, int> failing => backing.Failing;

    /// <summary>Makes the grain's writes fail, after <paramref name="afterWrites"/> more successful ones.</summary>
    public void FailWrites(GrainId grain, int afterWrites = 0) => backing.FailWrites(grain, afterWrites);

    public void HealWrites(GrainId grain) => backing.HealWrites(grain);

    private ConcurrentDictionary<GrainId, Func<object, object>> concurrentWriters => backing.ConcurrentWriters;

    /// <summary>
    /// Just before the grain's next write, another writer changes the stored state with <paramref name="change"/>
    /// (of a copy of the stored state, or of the state being written when nothing is stored), as a second
    /// activation would; the grain's write then meets a new ETag.
    /// </summary>
    public void WriteConcurrentlyBeforeNextWrite<T>(GrainId grain, Func<T, T> change) =>
        concurrentWriters[grain] = o => change((T)o)!;

    /// <summary>What is stored for the grain under <typeparamref name="T"/>, as a reader on another silo would find it.</summary>
    public T? Stored<T>(GrainId grain) where T : class =>
        store.Where(e => e.Key.Item2.Equals(grain) && e.Value.State is T).Select(e => copier.Copy((T)e.Value.State)).SingleOrDefault();

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (store.TryGetValue((stateName, grainId), out var entry))
        {
            grainState.State = copier.Copy((T)entry.State);
            grainState.ETag = entry.ETag;
            grainState.RecordExists = true;
        }

        return Task.CompletedTask;
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (failing.TryGetValue(grainId, out int allowed))
        {
            if (allowed == 0) throw new IOException("Injected storage failure.");
            failing[grainId] = allowed - 1;
        }

        if (concurrentWriters.TryRemove(grainId, out var writer))
        {
            object basis = store.TryGetValue((stateName, grainId), out var stored) ? copier.Copy(stored.State) : copier.Copy(grainState.State)!;
            store[(stateName, grainId)] = (writer(basis), Guid.NewGuid().ToString("N"));
        }

        if (store.TryGetValue((stateName, grainId), out var current) ? current.ETag != grainState.ETag : grainState.ETag is not null)
        {
            throw new InconsistentStateException("Injected version conflict.", current.ETag ?? "", grainState.ETag ?? "");
        }

        string etag = Guid.NewGuid().ToString("N");
        store[(stateName, grainId)] = (copier.Copy(grainState.State)!, etag);
        grainState.ETag = etag;
        grainState.RecordExists = true;
        return Task.CompletedTask;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (failing.TryGetValue(grainId, out int left) && left == 0) throw new IOException("Injected storage failure.");
        store.TryRemove((stateName, grainId), out _);
        grainState.ETag = null;
        grainState.RecordExists = false;
        return Task.CompletedTask;
    }
}

/// <summary>What a <see cref="FlakyGrainStorage"/> holds; one instance may back the storage of several silos.</summary>
public sealed class FlakyStore
{
    public ConcurrentDictionary<(string, GrainId), (object State, string ETag)> Store { get; } = new();

    public ConcurrentDictionary<GrainId, int> Failing { get; } = new();

    public ConcurrentDictionary<GrainId, Func<object, object>> ConcurrentWriters { get; } = new();

    /// <summary>Makes the grain's writes fail, after <paramref name="afterWrites"/> more successful ones.</summary>
    public void FailWrites(GrainId grain, int afterWrites = 0) => Failing[grain] = afterWrites;

    public void HealWrites(GrainId grain) => Failing.TryRemove(grain, out _);
}
