using MessagePack;

namespace Orleans.Segments.Segments;

/// <summary>How many users entered and left a segment (or a lifecycle stage) on one UTC day.</summary>
[GenerateSerializer, Alias("segments.DayFlow"), MessagePackObject]
public sealed class DayFlow
{
    /// <summary>How many days of flows an index keeps.</summary>
    public const int DaysKept = 8;

    /// <summary>The UTC date, as days since 0001-01-01.</summary>
    [Id(0), Key(0)] public int Day { get; set; }

    [Id(1), Key(1)] public int Entered { get; set; }

    [Id(2), Key(2)] public int Exited { get; set; }

    [IgnoreMember]
    public DateOnly Date => DateOnly.FromDayNumber(Day);

    /// <summary>Sums flows of the same days (the shards of one index).</summary>
    public static DayFlow[] Sum(IEnumerable<DayFlow> flows) => flows
        .GroupBy(f => f.Day)
        .Select(g => new DayFlow { Day = g.Key, Entered = g.Sum(f => f.Entered), Exited = g.Sum(f => f.Exited) })
        .OrderBy(f => f.Day)
        .ToArray();
}
