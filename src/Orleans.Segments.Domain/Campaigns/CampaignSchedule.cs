using System.Globalization;
using Cronos;

namespace Orleans.Segments.Domain.Campaigns;

/// <summary>When a schedule trigger's occurrences fall (Cronos for recurring ones, DST-correct).</summary>
public static class CampaignSchedule
{
    /// <summary>The zone furthest ahead of UTC: local-time fan-out starts when it reaches the wall-clock time.</summary>
    public static readonly TimeSpan EarliestZone = TimeSpan.FromHours(14);

    /// <summary>The zone furthest behind UTC: after this, every zone has passed the wall-clock time.</summary>
    public static readonly TimeSpan LatestZone = TimeSpan.FromHours(12);

    /// <summary>
    /// The first occurrence after <paramref name="after"/> (the previous occurrence, or the launch), or null if
    /// the schedule has none left. For local time, an occurrence counts while some zone has not reached it yet.
    /// </summary>
    public static ScheduledOccurrence? Next(CampaignTrigger trigger, DateTime after, ScheduledOccurrence? previous)
    {
        if (trigger.Kind != TriggerKind.Schedule) return null;
        if (trigger.LocalTime)
        {
            // Why: wall-clock times are computed as if they were UTC, then read in each user's zone.
            var from = previous?.LocalWallClock is { } last ? last : Calendar.Add(after, -LatestZone);
            DateTime? wall = trigger.Cron is { } cron
                ? Cron(cron).GetNextOccurrence(DateTime.SpecifyKind(from, DateTimeKind.Utc), TimeZoneInfo.Utc)
                : previous is null && trigger.At is { } at && Calendar.Add(at, LatestZone) > after ? DateTime.SpecifyKind(at, DateTimeKind.Utc) : null;
            if (wall is not { } w) return null;
            var unspecified = DateTime.SpecifyKind(w, DateTimeKind.Unspecified);
            return new ScheduledOccurrence(Key(w), Calendar.Add(w, -EarliestZone), unspecified);
        }

        var zone = trigger.TimeZone is { } id && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var z) ? z : TimeZoneInfo.Utc;
        DateTime? next = trigger.Cron is { } expression
            ? Cron(expression).GetNextOccurrence(previous?.StartAt ?? after, zone)
            : previous is null && trigger.At is { } once ? DateTime.SpecifyKind(once, DateTimeKind.Utc) : null;
        return next is { } n ? new ScheduledOccurrence(Key(n), n, null) : null;
    }

    /// <summary>The UTC instant a local wall-clock time falls on in <paramref name="timeZone"/>; a gap (DST) moves it forward.</summary>
    public static DateTime InZone(DateTime wallClock, string? timeZone)
    {
        var zone = timeZone is not null && TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out var z) ? z : TimeZoneInfo.Utc;
        var local = DateTime.SpecifyKind(wallClock, DateTimeKind.Unspecified);
        for (int guard = 0; guard < 24 * 60 && zone.IsInvalidTime(local); guard++) local = Calendar.Add(local, TimeSpan.FromMinutes(1));
        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return DateTime.SpecifyKind(Calendar.Add(local, -offset), DateTimeKind.Utc);
    }

    private static CronExpression Cron(string expression) => CronExpression.Parse(expression);

    private static string Key(DateTime at) => at.ToString("yyyyMMdd'T'HHmm", CultureInfo.InvariantCulture);
}
