namespace Orleans.Segments.Domain.Behaviour;

/// <summary>UTC calendar days counted from 0001-01-01, the unit of the behaviour buckets.</summary>
public static class DayNumber
{
    public static int Of(DateTime utc) => (int)(utc.Ticks / TimeSpan.TicksPerDay);

    public static DateTime Start(int day) => new(day * TimeSpan.TicksPerDay, DateTimeKind.Utc);
}
