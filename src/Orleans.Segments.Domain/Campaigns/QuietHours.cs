using MessagePack;

namespace Orleans.Segments.Domain.Campaigns;

/// <summary>
/// Hours in the user's local time when marketing pushes wait, e.g. 22:00 to 08:00. Bound from
/// <c>Segments:Apps:&lt;appId&gt;:QuietHours</c>; campaigns may override them.
/// </summary>
[GenerateSerializer, Alias("segments.QuietHours")]
[MessagePackObject]
public sealed class QuietHours
{
    /// <summary>When quiet hours begin, local time. Default: 22:00.</summary>
    [Id(0), Key(0)] public TimeOnly Start { get; set; } = new(22, 0);

    /// <summary>When quiet hours end, local time. Default: 08:00.</summary>
    [Id(1), Key(1)] public TimeOnly End { get; set; } = new(8, 0);

    /// <summary>The zone for users whose zone is unknown. Default: UTC.</summary>
    [Id(2), Key(2)] public string DefaultTimeZone { get; set; } = "UTC";

    /// <summary>Whether quiet hours apply at all. Default: true.</summary>
    [Id(3), Key(3)] public bool Enabled { get; set; } = true;

    /// <summary>
    /// <paramref name="utcNow"/> if it is outside quiet hours in <paramref name="timeZone"/>, else the UTC instant
    /// they end. Across a DST change the end is the first valid local instant at or after <see cref="End"/>.
    /// </summary>
    public DateTime NextAllowed(DateTime utcNow, string? timeZone)
    {
        if (!Enabled || Start == End) return utcNow;
        var zone = Zone(timeZone) ?? Zone(DefaultTimeZone) ?? TimeZoneInfo.Utc;
        var local = TimeZoneInfo.ConvertTimeFromUtc(utcNow, zone);
        var time = TimeOnly.FromDateTime(local);
        bool quiet = Start < End ? time >= Start && time < End : time >= Start || time < End;
        if (!quiet) return utcNow;

        var endDate = DateOnly.FromDateTime(local);
        if (Start > End && time >= Start) endDate = endDate.AddDays(1);
        var endLocal = endDate.ToDateTime(End);
        while (zone.IsInvalidTime(endLocal)) endLocal = endLocal.AddMinutes(1);

        // Why: an ambiguous local time (clocks going back) is resolved to its first occurrence.
        var offset = zone.IsAmbiguousTime(endLocal) ? zone.GetAmbiguousTimeOffsets(endLocal).Max() : zone.GetUtcOffset(endLocal);
        return DateTime.SpecifyKind(endLocal - offset, DateTimeKind.Utc);
    }

    private static TimeZoneInfo? Zone(string? id) =>
        id is not null && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : null;
}
