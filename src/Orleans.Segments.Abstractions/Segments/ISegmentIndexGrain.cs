namespace Orleans.Segments.Segments;

/// <summary>
/// One shard of one segment's members (key: <c>{app}/{segment}/{shard}</c>), fed by the users' own grains
/// through their outbox, so that sizes are exact and broadcasts touch only members.
/// </summary>
[Alias("segments.ISegmentIndexGrain")]
public interface ISegmentIndexGrain : IGrainWithStringKey
{
    /// <summary>Adds or removes a member; idempotent.</summary>
    [Alias("Apply")]
    Task Apply(string userId, bool member);

    /// <summary>Adds or removes a member as of <paramref name="at"/> (counted in that day's flow); idempotent.</summary>
    [Alias("Record")]
    Task Record(string userId, bool member, DateTime at);

    [Alias("Count")]
    Task<int> Count();

    /// <summary>How many entered and left, per UTC day, over the last <see cref="DayFlow.DaysKept"/> days.</summary>
    [Alias("Flows")]
    Task<DayFlow[]> Flows();

    /// <summary>The member count and the daily flows in one call (what a list of segments shows).</summary>
    [Alias("Summary")]
    Task<IndexSummary> Summary();

    /// <summary>Up to <paramref name="limit"/> members after <paramref name="after"/> in ordinal order.</summary>
    [Alias("Page")]
    Task<string[]> Page(string? after, int limit);

    /// <summary>Forgets every member (the segment was deleted).</summary>
    [Alias("Clear")]
    Task Clear();
}

/// <summary>One shard's member count and daily flows.</summary>
[GenerateSerializer, Immutable, Alias("segments.IndexSummary")]
public sealed record IndexSummary([property: Id(0)] int Count, [property: Id(1)] DayFlow[] Flows);
