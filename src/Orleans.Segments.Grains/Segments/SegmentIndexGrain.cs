using Orleans.Segments.Hosting;

namespace Orleans.Segments.Segments;

/// <summary>One shard of a segment's members. Calls no other grain, so it cannot take part in a deadlock.</summary>
public sealed class SegmentIndexGrain(
    [PersistentState("index", SegmentsStorage.Name)] IPersistentState<SegmentIndexState> index) : Grain, ISegmentIndexGrain
{
    /// <summary>How many shards each segment's index has.</summary>
    public const int Shards = 16;

    public static string Key(string appId, string segmentId, int shard) => $"{appId}/{segmentId}/{shard}";

    public static int ShardOf(string userId) =>
        (int)(System.IO.Hashing.XxHash32.HashToUInt32(System.Text.Encoding.UTF8.GetBytes(userId)) % Shards);

    async Task ISegmentIndexGrain.Apply(string userId, bool member)
    {
        bool changed = member ? index.State.Members.Add(userId) : index.State.Members.Remove(userId);
        if (changed) await index.WriteStateAsync();
    }

    Task<int> ISegmentIndexGrain.Count() => Task.FromResult(index.State.Members.Count);

    Task<string[]> ISegmentIndexGrain.Page(string? after, int limit)
    {
        var members = index.State.Members;
        // Why: a cursor's member may have left since (or the cursor names any string); GetViewBetween throws
        // when its lower bound passes the set's maximum, and there is nothing after it then anyway.
        if (after is not null && members.Count > 0 && string.CompareOrdinal(after, members.Max) >= 0) return Task.FromResult(Array.Empty<string>());
        var view = after is null || members.Count == 0 ? members : members.GetViewBetween(after, members.Max!);
        return Task.FromResult(view.Where(m => after is null || string.CompareOrdinal(m, after) > 0).Take(limit).ToArray());
    }

    async Task ISegmentIndexGrain.Clear()
    {
        if (index.State.Members.Count == 0) return;
        await index.ClearStateAsync();
        index.State = new SegmentIndexState();
    }
}
