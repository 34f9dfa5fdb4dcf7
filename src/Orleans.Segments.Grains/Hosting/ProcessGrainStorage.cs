using System.Collections.Concurrent;
using Orleans.Serialization;
using Orleans.Storage;

namespace Orleans.Segments.Hosting;

/// <summary>
/// The embedded default's grain storage: state kept serialized in this process's memory, lost when it stops
/// (as with Orleans' memory storage). Unlike Orleans' memory storage, whose writes are grain calls to storage
/// grains that deep-copy the serialized state, a write here is one serialization and one copy into the
/// record's own buffer, reused from write to write: the embedded default is a single silo, so nothing needs
/// to reach the state from another process, and a record that is rewritten on every push creates no new
/// long-lived buffer for the garbage collector to promote. Each write checks the ETag it read, like a real
/// provider, so a second activation's stale write fails with <see cref="InconsistentStateException"/>.
/// State is held as bytes, never shared with a grain, in <see cref="StoredStateFormat"/> (its tagged records always
/// MessagePack: one process has no earlier-version silo to stay readable for).
/// </summary>
public sealed class ProcessGrainStorage(Serializer serializer, SegmentsMetrics? metrics = null) : IGrainStorage
{
    private readonly ConcurrentDictionary<(string State, GrainId Grain), Record> records = new();
    private long lastETag;

    /// <summary>How many records are stored (for tests and diagnostics).</summary>
    public int Count => records.Values.Count(r => r.ETag is not null);

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        grainState.ETag = null;
        grainState.RecordExists = false;
        if (records.TryGetValue((stateName, grainId), out var record))
        {
            lock (record)
            {
                if (record.ETag is not null)
                {
                    grainState.State = UnreadableStateException.Read<T>(serializer, new ReadOnlyMemory<byte>(record.Bytes, 0, record.Length), metrics);
                    grainState.ETag = record.ETag;
                    grainState.RecordExists = true;
                }
            }
        }

        return Task.CompletedTask;
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var bytes = ThreadSerializationBuffer.Write(serializer, grainState.State);
        var key = (stateName, grainId);
        var record = records.GetOrAdd(key, static _ => new Record());
        lock (record)
        {
            if (record.ETag != grainState.ETag) throw Conflict(key, record.ETag, grainState.ETag);

            // Why: some room to grow (a user's state grows by a log entry per push) without a new buffer each time;
            // a buffer far larger than the state (after a log was compacted) is given back.
            if (record.Bytes.Length < bytes.Length || record.Bytes.Length > 2 * bytes.Length + 4096)
            {
                record.Bytes = new byte[bytes.Length + bytes.Length / 4 + 64];
            }

            bytes.CopyTo(record.Bytes);
            record.Length = bytes.Length;
            record.ETag = NextETag();
            grainState.ETag = record.ETag;
            grainState.RecordExists = true;
        }

        return Task.CompletedTask;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = (stateName, grainId);
        if (records.TryGetValue(key, out var record))
        {
            lock (record)
            {
                if (record.ETag != grainState.ETag) throw Conflict(key, record.ETag, grainState.ETag);
                record.ETag = null;
                record.Bytes = [];
                record.Length = 0;
            }
        }
        else if (grainState.ETag is not null)
        {
            throw Conflict(key, null, grainState.ETag);
        }

        grainState.ETag = null;
        grainState.RecordExists = false;
        return Task.CompletedTask;
    }

    private string NextETag() => Interlocked.Increment(ref lastETag).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static InconsistentStateException Conflict((string State, GrainId Grain) key, string? stored, string? expected) =>
        new($"The stored {key.State} of {key.Grain} changed since it was read.", stored ?? "(none)", expected ?? "(none)");

    /// <summary>One grain's state: its bytes and version; no ETag means no record (never written, or cleared).</summary>
    private sealed class Record
    {
        public byte[] Bytes = [];
        public int Length;
        public string? ETag;
    }
}
