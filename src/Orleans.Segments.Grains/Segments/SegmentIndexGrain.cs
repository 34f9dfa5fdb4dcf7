using Orleans.Segments.Hosting;

namespace Orleans.Segments.Segments;

/// <summary>
/// One shard of a segment's members. Calls no other grain, so it cannot take part in a deadlock. Persisted as a
/// snapshot and a log of the entries and exits since (<see cref="SnapshotWithLog{TState, TChange}"/>), so that a
/// member change does not rewrite the whole member list.
/// </summary>
public sealed class SegmentIndexGrain(
    [PersistentState("index", SegmentsStorage.Name)] IPersistentState<SegmentIndexState> snapshot,
    [PersistentState("index-log", SegmentsStorage.Name)] IPersistentState<ChangeLog<SegmentIndexChange>> log) : Grain, ISegmentIndexGrain
{
    /// <summary>How many shards each segment's index has.</summary>
    public const int Shards = 16;

    private readonly SnapshotWithLog<SegmentIndexState, SegmentIndexChange> index = new(snapshot, log, SegmentIndexChange.Apply, s => s.Members.Count);

    public static string Key(string appId, string segmentId, int shard) => $"{appId}/{segmentId}/{shard}";

    public static int ShardOf(string userId) =>
        (int)(System.IO.Hashing.XxHash32.HashToUInt32(System.Text.Encoding.UTF8.GetBytes(userId)) % Shards);

    async Task ISegmentIndexGrain.Apply(string userId, bool member)
    {
        var members = (await index.Current()).Members;
        if (members.Contains(userId) != member) await index.Commit(new SegmentIndexChange(userId, member));
    }

    async Task ISegmentIndexGrain.Record(string userId, bool member, DateTime at)
    {
        var members = (await index.Current()).Members;
        if (members.Contains(userId) != member) await index.Commit(new SegmentIndexChange(userId, member) { At = at });
    }

    async Task<int> ISegmentIndexGrain.Count() => (await index.Current()).Members.Count;

    async Task<DayFlow[]> ISegmentIndexGrain.Flows() => (await index.Current()).Flows.ToArray();

    async Task<IndexSummary> ISegmentIndexGrain.Summary()
    {
        var state = await index.Current();
        return new IndexSummary(state.Members.Count, state.Flows.ToArray());
    }

    async Task<string[]> ISegmentIndexGrain.Page(string? after, int limit)
    {
        var members = (await index.Current()).Members;
        // Why: a cursor's member may have left since (or the cursor names any string); GetViewBetween throws
        // when its lower bound passes the set's maximum, and there is nothing after it then anyway.
        if (after is not null && members.Count > 0 && string.CompareOrdinal(after, members.Max) >= 0) return [];
        var view = after is null || members.Count == 0 ? members : members.GetViewBetween(after, members.Max!);
        return view.Where(m => after is null || string.CompareOrdinal(m, after) > 0).Take(limit).ToArray();
    }

    async Task ISegmentIndexGrain.Clear()
    {
        if ((await index.Current()).Members.Count == 0) return;
        await index.Clear();
    }
}
