using System.Collections.Concurrent;
using Orleans.Serialization;
using Orleans.Storage;

namespace Orleans.Segments.Grains.Tests;

/// <summary>
/// An in-memory grain storage whose writes can be made to fail for chosen grains: a fake for testing what
/// grains do when storage fails, not a stand-in for a real provider.
/// </summary>
public sealed class FlakyGrainStorage(DeepCopier copier) : IGrainStorage
{
    private readonly ConcurrentDictionary<(string, GrainId), (object State, string ETag)> store = new();
    private readonly ConcurrentDictionary<GrainId, bool> failing = new();

    public void FailWrites(GrainId grain) => failing[grain] = true;

    public void HealWrites(GrainId grain) => failing.TryRemove(grain, out _);

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
        if (failing.ContainsKey(grainId)) throw new IOException("Injected storage failure.");
        string etag = Guid.NewGuid().ToString("N");
        store[(stateName, grainId)] = (copier.Copy(grainState.State)!, etag);
        grainState.ETag = etag;
        grainState.RecordExists = true;
        return Task.CompletedTask;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (failing.ContainsKey(grainId)) throw new IOException("Injected storage failure.");
        store.TryRemove((stateName, grainId), out _);
        grainState.ETag = null;
        grainState.RecordExists = false;
        return Task.CompletedTask;
    }
}
