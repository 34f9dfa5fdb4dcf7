using System.Globalization;

namespace Orleans.Segments.Server.Console.Shared;

/// <summary>How the console writes numbers, times and durations: invariant, UTC, short.</summary>
public static class Format
{
    public static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Number(double value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Percent(double? value) => value is { } v ? v.ToString("P1", CultureInfo.InvariantCulture) : "–";

    public static string Time(DateTime? value) => value is { } v ? v.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC" : "–";

    public static string Duration(TimeSpan value) => Apis.DurationText.Write(value);

    /// <summary>A rule value as a person reads it: a duration the rule language prints in odd seconds becomes "12d 0h".</summary>
    public static string RuleValue(string value)
    {
        if (value.Length < 2 || value[^1] != 's' || !long.TryParse(value.AsSpan(0, value.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out long seconds))
        {
            return value;
        }

        var span = TimeSpan.FromSeconds(seconds);
        return span.TotalDays >= 1 ? $"{(int)span.TotalDays}d {span.Hours}h"
            : span.TotalHours >= 1 ? $"{span.Hours}h {span.Minutes}m"
            : span.TotalMinutes >= 1 ? $"{span.Minutes}m {span.Seconds}s"
            : value;
    }

    public static string Rate(long part, long whole) => whole == 0 ? "–" : ((double)part / whole).ToString("P1", CultureInfo.InvariantCulture);
}
