using System.Collections.Concurrent;
using Orleans.Serialization;
using Orleans.Storage;

namespace Orleans.Segments.Benchmarks.Infrastructure;

/// <summary>
/// Grain storage that keeps each state as its serialized bytes, as Redis would. The memory figures use it
/// because Orleans' in-memory storage keeps a live object copy of every state that shares its strings with the
/// grain's copy, which would hide part of the resident cost and add a second object graph per user.
/// </summary>
public sealed class SerializedMemoryStorage(Serializer serializer) : IGrainStorage
{
    private readonly ConcurrentDictionary<(string State, GrainId Grain), (byte[] Bytes, string ETag)> store = new();

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (store.TryGetValue((stateName, grainId), out var entry))
        {
            grainState.State = serializer.Deserialize<T>(entry.Bytes);
            grainState.ETag = entry.ETag;
            grainState.RecordExists = true;
        }

        return Task.CompletedTask;
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        string etag = Guid.NewGuid().ToString("N");
        store[(stateName, grainId)] = (serializer.SerializeToArray(grainState.State), etag);
        grainState.ETag = etag;
        grainState.RecordExists = true;
        return Task.CompletedTask;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        store.TryRemove((stateName, grainId), out _);
        grainState.ETag = null;
        grainState.RecordExists = false;
        return Task.CompletedTask;
    }

    /// <summary>The size in bytes of every stored state named <paramref name="stateName"/>.</summary>
    public List<double> SizesOf(string stateName) => store.Where(e => e.Key.State == stateName).Select(e => (double)e.Value.Bytes.Length).ToList();
}
