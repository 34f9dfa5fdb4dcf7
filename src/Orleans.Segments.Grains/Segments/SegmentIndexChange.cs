using MessagePack;

namespace Orleans.Segments.Segments;

/// <summary>One user entering or leaving one index shard, as logged until the shard's next snapshot.</summary>
[GenerateSerializer, Immutable, Alias("segments.SegmentIndexChange"), MessagePackObject]
public readonly record struct SegmentIndexChange([property: Id(0), Key(0)] string UserId, [property: Id(1), Key(1)] bool Member)
{
    /// <summary>When the user entered or left; default for changes logged before flows were kept (not counted).</summary>
    [Id(2), Key(2)] public DateTime At { get; init; }

    public static void Apply(SegmentIndexState state, SegmentIndexChange change)
    {
        bool changed = change.Member ? state.Members.Add(change.UserId) : state.Members.Remove(change.UserId);
        if (changed && change.At != default) Count(state.Flows, change);
    }

    private static void Count(List<DayFlow> flows, SegmentIndexChange change)
    {
        int day = DateOnly.FromDateTime(change.At).DayNumber;
        var flow = flows.Find(f => f.Day == day);
        if (flow is null)
        {
            int newest = flows.Count == 0 ? day : Math.Max(day, flows.Max(f => f.Day));
            if (day <= newest - DayFlow.DaysKept) return;
            flows.Add(flow = new DayFlow { Day = day });
            flows.RemoveAll(f => f.Day <= newest - DayFlow.DaysKept);
        }

        if (change.Member) flow.Entered++;
        else flow.Exited++;
    }
}
