namespace Orleans.Segments.Domain;

/// <summary>
/// The dates a definition may name, and date arithmetic that cannot overflow at the edges of the calendar
/// (a schedule at 9999-12-31T23:59 plus a zone's offset is past <see cref="DateTime.MaxValue"/>).
/// </summary>
public static class Calendar
{
    /// <summary>The earliest date a schedule, start or end may name.</summary>
    public static readonly DateTime Earliest = new(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>The first date a schedule, start or end may no longer name.</summary>
    public static readonly DateTime End = new(3000, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>The range in words, for error messages.</summary>
    public const string RangeText = "between 2000-01-01 and 2999-12-31";

    public static bool InRange(DateTime at) => at.Ticks >= Earliest.Ticks && at.Ticks < End.Ticks;

    /// <summary><paramref name="at"/> + <paramref name="span"/>, held at the calendar's first or last tick instead of overflowing.</summary>
    public static DateTime Add(DateTime at, TimeSpan span)
    {
        long ticks = at.Ticks + span.Ticks;
        bool overflowed = span.Ticks > 0 ? ticks < at.Ticks || ticks > DateTime.MaxValue.Ticks : ticks > at.Ticks || ticks < 0;
        if (!overflowed) return new DateTime(ticks, at.Kind);
        return span.Ticks > 0 ? DateTime.SpecifyKind(DateTime.MaxValue, at.Kind) : DateTime.SpecifyKind(DateTime.MinValue, at.Kind);
    }
}
