using System.Diagnostics;
using Orleans.Segments.Hosting;

namespace Orleans.Segments.Benchmarks.Production;

/// <summary>
/// The ceiling for a never-seen user's first event, measured in the same silo and on the same storage as the
/// engine: the same Orleans work without the engine's code. "One write": a grain is activated (its state read
/// and not found) and writes its state once. "Three writes": the same, after calling a shard grain of 64 and one
/// of 16 that each write their state (the shape of the engine's directory page and wake-up bucket).
/// </summary>
public static class NewUserCeiling
{
    public const int DirectoryShards = 64;

    public const int BucketShards = 16;

    /// <summary>How long first calls to <paramref name="users"/> never-activated bare grains take, <paramref name="inFlight"/> at a time.</summary>
    public static async Task<TimeSpan> RunAsync(IGrainFactory grains, string prefix, int users, int inFlight, bool threeWrites)
    {
        int next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, inFlight).Select(async _ =>
        {
            for (int i = Interlocked.Increment(ref next); i < users; i = Interlocked.Increment(ref next))
            {
                await grains.GetGrain<IBareUserGrain>($"{prefix}-{i}").FirstEvent(threeWrites);
            }
        }));
        return clock.Elapsed;
    }
}

public interface IBareUserGrain : IGrainWithStringKey
{
    Task FirstEvent(bool threeWrites);
}

public interface IBareShardGrain : IGrainWithStringKey
{
    Task Add(string member);
}

[GenerateSerializer]
public sealed class BareState
{
    [Id(0)] public int Writes { get; set; }

    [Id(1)] public string? Last { get; set; }
}

/// <summary>A user-like grain with one persisted record and no logic.</summary>
public sealed class BareUserGrain([PersistentState("bare-user", SegmentsStorage.Name)] IPersistentState<BareState> state) : Grain, IBareUserGrain
{
    public async Task FirstEvent(bool threeWrites)
    {
        string key = this.GetPrimaryKeyString();
        if (threeWrites)
        {
            int hash = StringComparer.Ordinal.GetHashCode(key) & int.MaxValue;
            await GrainFactory.GetGrain<IBareShardGrain>($"directory/{hash % NewUserCeiling.DirectoryShards}").Add(key);
            await GrainFactory.GetGrain<IBareShardGrain>($"bucket/{hash % NewUserCeiling.BucketShards}").Add(key);
        }

        state.State.Writes++;
        state.State.Last = key;
        await state.WriteStateAsync();
    }
}

/// <summary>A shard that writes a small record per call, as a directory page or wake-up bucket writes its log.</summary>
public sealed class BareShardGrain([PersistentState("bare-shard", SegmentsStorage.Name)] IPersistentState<BareState> state) : Grain, IBareShardGrain
{
    public Task Add(string member)
    {
        state.State.Writes++;
        state.State.Last = member;
        return state.WriteStateAsync();
    }
}
