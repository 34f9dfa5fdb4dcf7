using MessagePack;

namespace Orleans.Segments.Domain.Behaviour;

/// <summary>When a user was first and last seen, and on which UTC days of the last 128 the user was active.</summary>
[GenerateSerializer, Alias("segments.ActivityLog")]
[MessagePackObject]
public sealed class ActivityLog
{
    /// <summary>How many days the active-day bitmap covers.</summary>
    public const int TrackedDays = 128;

    [Id(0), Key(0)] public DateTime? FirstSeen { get; set; }

    [Id(1), Key(1)] public DateTime? LastSeen { get; set; }

    /// <summary>The day that bit 0 of <see cref="ActiveDays"/> stands for; bit i is day <c>Anchor − i</c>.</summary>
    [Id(2), Key(2)] public int Anchor { get; set; }

    [Id(3), Key(3)] public ulong ActiveDaysLow { get; set; }

    [Id(4), Key(4)] public ulong ActiveDaysHigh { get; set; }

    /// <summary>Notes activity at <paramref name="at"/>; late and out-of-order times are placed where they belong.</summary>
    public void Record(DateTime at)
    {
        if (FirstSeen is null || at < FirstSeen) FirstSeen = at;
        if (LastSeen is null || at > LastSeen) LastSeen = at;
        MarkActive(DayNumber.Of(at));
    }

    /// <summary>Active UTC days among the <paramref name="days"/> days ending with the day of <paramref name="now"/>.</summary>
    public int ActiveDaysWithin(int days, DateTime now)
    {
        int today = DayNumber.Of(now);
        int n = 0;
        for (int d = today - days + 1; d <= today; d++)
        {
            if (IsActive(d)) n++;
        }

        return n;
    }

    public bool IsActive(int day)
    {
        int offset = Anchor - day;
        if (offset < 0 || offset >= TrackedDays) return false;
        return offset < 64 ? (ActiveDaysLow >> offset & 1) != 0 : (ActiveDaysHigh >> (offset - 64) & 1) != 0;
    }

    /// <summary>The active days, newest first.</summary>
    public IEnumerable<int> Days()
    {
        for (int offset = 0; offset < TrackedDays; offset++)
        {
            if (IsActive(Anchor - offset)) yield return Anchor - offset;
        }
    }

    public void MergeFrom(ActivityLog other)
    {
        if (other.FirstSeen is { } first) Record(first);
        if (other.LastSeen is { } last) Record(last);

        // Why: replaying a day as its midnight through Record would pull FirstSeen back to that midnight.
        foreach (int day in other.Days()) MarkActive(day);
    }

    private void MarkActive(int day)
    {
        if (day > Anchor)
        {
            Shift(day - Anchor);
            Anchor = day;
        }

        int offset = Anchor - day;
        if (offset >= TrackedDays) return;
        if (offset < 64) ActiveDaysLow |= 1UL << offset;
        else ActiveDaysHigh |= 1UL << (offset - 64);
    }

    private void Shift(int by)
    {
        if (by >= TrackedDays)
        {
            ActiveDaysLow = 0;
            ActiveDaysHigh = 0;
        }
        else if (by >= 64)
        {
            ActiveDaysHigh = ActiveDaysLow << (by - 64);
            ActiveDaysLow = 0;
        }
        else
        {
            ActiveDaysHigh = (ActiveDaysHigh << by) | (ActiveDaysLow >> (64 - by));
            ActiveDaysLow <<= by;
        }
    }
}
