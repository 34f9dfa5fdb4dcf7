using System.Collections.Concurrent;
using Orleans.Storage;

namespace Orleans.Segments.Hosting;

/// <summary>
/// The embedded default's grain storage: state kept serialized in this process's memory, lost when it stops
/// (as with Orleans' memory storage). Unlike Orleans' memory storage, whose writes are grain calls to storage
/// grains that deep-copy the serialized state, a write here is one serialization and one dictionary swap:
/// the embedded default is a single silo, so nothing needs to reach the state from another process. Each
/// write checks the ETag it read, like a real provider, so a second activation's stale write fails with
/// <see cref="InconsistentStateException"/>. State is held as bytes, never shared with a grain.
/// </summary>
public sealed class ProcessGrainStorage(IGrainStorageSerializer serializer) : IGrainStorage
{
    private readonly ConcurrentDictionary<(string State, GrainId Grain), Entry> entries = new();
    private long lastETag;

    /// <summary>How many records are stored (for tests and diagnostics).</summary>
    public int Count => entries.Count;

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (entries.TryGetValue((stateName, grainId), out var entry))
        {
            grainState.State = serializer.Deserialize<T>(entry.Data);
            grainState.ETag = entry.ETag;
            grainState.RecordExists = true;
        }
        else
        {
            grainState.ETag = null;
            grainState.RecordExists = false;
        }

        return Task.CompletedTask;
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var data = serializer.Serialize(grainState.State);
        var key = (stateName, grainId);
        var written = new Entry(data, NextETag());
        if (grainState.ETag is null)
        {
            if (!entries.TryAdd(key, written)) throw Conflict(key, null);
        }
        else if (!entries.TryGetValue(key, out var current) || current.ETag != grainState.ETag || !entries.TryUpdate(key, written, current))
        {
            throw Conflict(key, grainState.ETag);
        }

        grainState.ETag = written.ETag;
        grainState.RecordExists = true;
        return Task.CompletedTask;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = (stateName, grainId);
        if (grainState.ETag is not null)
        {
            if (!entries.TryGetValue(key, out var current) || current.ETag != grainState.ETag || !entries.TryRemove(new KeyValuePair<(string, GrainId), Entry>(key, current)))
            {
                throw Conflict(key, grainState.ETag);
            }
        }
        else if (entries.ContainsKey(key))
        {
            throw Conflict(key, null);
        }

        grainState.ETag = null;
        grainState.RecordExists = false;
        return Task.CompletedTask;
    }

    private string NextETag() => Interlocked.Increment(ref lastETag).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private InconsistentStateException Conflict((string State, GrainId Grain) key, string? expected)
    {
        string stored = entries.TryGetValue(key, out var current) ? current.ETag : "(none)";
        return new InconsistentStateException($"The stored {key.State} of {key.Grain} changed since it was read.", stored, expected ?? "(none)");
    }

    private sealed record Entry(BinaryData Data, string ETag);
}
