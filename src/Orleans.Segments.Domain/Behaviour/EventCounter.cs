using MessagePack;

namespace Orleans.Segments.Domain.Behaviour;

/// <summary>
/// Occurrences of one event name: the exact times of the most recent <see cref="RecentCapacity"/> occurrences,
/// and per-day counts and property sums for <see cref="RetentionDays"/> days. Memory is bounded whatever the
/// event rate, and "how many in the last N days" is exact whenever the answer is below the ring's capacity.
/// </summary>
[GenerateSerializer, Alias("segments.EventCounter")]
[MessagePackObject]
public sealed class EventCounter
{
    /// <summary>How many exact occurrence times are kept.</summary>
    public const int RecentCapacity = 16;

    /// <summary>How many days of buckets are kept: windows up to 90 days are answered from them.</summary>
    public const int RetentionDays = 100;

    /// <summary>How many numeric properties are summed per event name.</summary>
    public const int MaxSummedProperties = 8;

    /// <summary>The most recent occurrence times (ticks, ascending).</summary>
    [Id(0), Key(0)] public List<long> Recent { get; set; } = [];

    /// <summary>Bucket days, ascending.</summary>
    [Id(1), Key(1)] public List<int> Days { get; set; } = [];

    /// <summary>Occurrences per bucket, aligned with <see cref="Days"/>.</summary>
    [Id(2), Key(2)] public List<int> Counts { get; set; } = [];

    /// <summary>Sums per numeric property, aligned with <see cref="Days"/>.</summary>
    [Id(3), Key(3)] public Dictionary<string, List<double>>? Sums { get; set; }

    /// <summary>All occurrences ever counted.</summary>
    [Id(4), Key(4)] public long Total { get; set; }

    /// <summary>The time of the earliest occurrence ever counted.</summary>
    [Id(5), Key(5)] public DateTime First { get; set; }

    [IgnoreMember]
    public DateTime? Last => Recent.Count == 0 ? null : new DateTime(Recent[^1], DateTimeKind.Utc);

    /// <summary>Counts one occurrence at <paramref name="at"/>, which may be earlier than ones already counted.</summary>
    public void Add(DateTime at, IReadOnlyDictionary<string, double>? numbers, DateTime now)
    {
        Total++;
        if (Total == 1 || at < First) First = at;
        InsertRecent(at.Ticks);

        int day = DayNumber.Of(at);
        int oldestKept = DayNumber.Of(now) - RetentionDays;
        if (day < oldestKept) return;

        int index = Days.BinarySearch(day);
        if (index < 0)
        {
            index = ~index;
            Days.Insert(index, day);
            Counts.Insert(index, 0);
            if (Sums is not null)
            {
                foreach (var list in Sums.Values) list.Insert(index, 0);
            }
        }

        Counts[index]++;
        if (numbers is not null) AddSums(index, numbers);
        Prune(oldestKept);
    }

    /// <summary>Occurrences in (<paramref name="now"/> − <paramref name="window"/>, <paramref name="now"/>].</summary>
    public int CountWithin(TimeSpan window, DateTime now)
    {
        long start = (now - window).Ticks;
        long end = now.Ticks;
        if (Recent.Count < RecentCapacity || Recent[0] <= start)
        {
            // Exact: every occurrence in the window is in the ring.
            int n = 0;
            foreach (long t in Recent)
            {
                if (t > start && t <= end) n++;
            }

            return n;
        }

        // Why: the ring is full and all of it is inside the window, so the answer is at least its capacity;
        // the buckets add the older ones, counting the window's first day whole.
        int fromBuckets = 0;
        int startDay = DayNumber.Of(now - window);
        int endDay = DayNumber.Of(now);
        for (int i = 0; i < Days.Count; i++)
        {
            if (Days[i] >= startDay && Days[i] <= endDay) fromBuckets += Counts[i];
        }

        return Math.Max(fromBuckets, RecentInWindow(start, end));
    }

    /// <summary>The sum of numeric property <paramref name="property"/> over the UTC days from (now − window) to now.</summary>
    public double SumWithin(string property, TimeSpan window, DateTime now)
    {
        if (Sums is null || !Sums.TryGetValue(property, out var sums)) return 0;
        int startDay = DayNumber.Of(now - window);
        int endDay = DayNumber.Of(now);
        double total = 0;
        for (int i = 0; i < Days.Count; i++)
        {
            if (Days[i] >= startDay && Days[i] <= endDay) total += sums[i];
        }

        return total;
    }

    /// <summary>Drops buckets older than the retention, relative to <paramref name="now"/>.</summary>
    public void Trim(DateTime now) => Prune(DayNumber.Of(now) - RetentionDays);

    /// <summary>Adds every occurrence of <paramref name="other"/> into this counter (identity merge).</summary>
    public void MergeFrom(EventCounter other, DateTime now)
    {
        Total += other.Total;
        if (other.Total > 0 && (Total == other.Total || other.First < First)) First = other.First;
        foreach (long t in other.Recent) InsertRecent(t);
        for (int i = 0; i < other.Days.Count; i++)
        {
            int index = Days.BinarySearch(other.Days[i]);
            if (index < 0)
            {
                index = ~index;
                Days.Insert(index, other.Days[i]);
                Counts.Insert(index, 0);
                if (Sums is not null)
                {
                    foreach (var list in Sums.Values) list.Insert(index, 0);
                }
            }

            Counts[index] += other.Counts[i];
            if (other.Sums is not null)
            {
                var numbers = new Dictionary<string, double>();
                foreach (var (name, values) in other.Sums) numbers[name] = values[i];
                AddSums(index, numbers);
            }
        }

        Trim(now);
    }

    private int RecentInWindow(long start, long end)
    {
        int n = 0;
        foreach (long t in Recent)
        {
            if (t > start && t <= end) n++;
        }

        return n;
    }

    private void InsertRecent(long ticks)
    {
        int index = Recent.BinarySearch(ticks);
        if (index < 0) index = ~index;
        if (Recent.Count >= RecentCapacity)
        {
            if (index == 0) return; // older than everything kept: only the buckets remember it
            Recent.RemoveAt(0);
            index--;
        }

        Recent.Insert(index, ticks);
    }

    private void AddSums(int index, IReadOnlyDictionary<string, double> numbers)
    {
        foreach (var (name, value) in numbers)
        {
            Sums ??= [];
            if (!Sums.TryGetValue(name, out var list))
            {
                if (Sums.Count >= MaxSummedProperties) continue;
                list = new List<double>(Days.Count);
                for (int i = 0; i < Days.Count; i++) list.Add(0);
                Sums[name] = list;
            }

            list[index] += value;
        }
    }

    private void Prune(int oldestKept)
    {
        int drop = 0;
        while (drop < Days.Count && Days[drop] < oldestKept) drop++;
        if (drop == 0) return;
        Days.RemoveRange(0, drop);
        Counts.RemoveRange(0, drop);
        if (Sums is null) return;
        foreach (var list in Sums.Values) list.RemoveRange(0, drop);
    }
}
