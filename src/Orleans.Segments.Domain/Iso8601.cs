namespace Orleans.Segments.Domain;

/// <summary>
/// Reads instants the way the API documents them: ISO 8601 / RFC 3339 date-times with a zone,
/// <c>YYYY-MM-DDThh:mm[:ss[.fraction]]</c> followed by <c>Z</c> or an offset (<c>+02:00</c>, <c>+0200</c>,
/// <c>+02</c>). <c>t</c>, <c>z</c> and a space for the <c>T</c> are accepted (RFC 3339 allows them); fractions
/// beyond 100 ns are cut. Everything else is refused: a date alone, no zone (which would leave the instant to
/// guesswork), <c>01/02/2024 03:04:05</c>, RFC 1123 dates, week or ordinal dates.
/// </summary>
public static class Iso8601
{
    /// <summary>The accepted form in words, for error messages.</summary>
    public const string Form = "an ISO 8601 date-time with a zone, e.g. 2026-03-01T09:30:00.000Z or 2026-03-01T10:30:00+01:00";

    public static bool TryParse(string? text, out DateTime utc)
    {
        utc = default;
        if (text is null) return false;
        var s = text.AsSpan().Trim();
        if (s.Length < 17 || s.Length > 64) return false;
        if (!Digits(s, 0, 4, out int year) || s[4] != '-' || !Digits(s, 5, 2, out int month) || s[7] != '-' || !Digits(s, 8, 2, out int day)) return false;
        if (s[10] is not ('T' or 't' or ' ')) return false;
        if (!Digits(s, 11, 2, out int hour) || s[13] != ':' || !Digits(s, 14, 2, out int minute)) return false;
        int i = 16, second = 0;
        long fractionTicks = 0;
        if (i < s.Length && s[i] == ':')
        {
            if (!Digits(s, i + 1, 2, out second)) return false;
            i += 3;
            if (i < s.Length && s[i] is '.' or ',')
            {
                int start = ++i;
                long scale = TimeSpan.TicksPerSecond;
                while (i < s.Length && char.IsAsciiDigit(s[i]))
                {
                    scale /= 10;
                    fractionTicks += (s[i] - '0') * scale;
                    i++;
                }

                if (i == start) return false;
            }
        }

        if (!Zone(s[i..], out var offset)) return false;
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) return false;
        long ticks = new DateTime(year, month, day, hour, minute, second).Ticks + fractionTicks - offset.Ticks;
        if (ticks < 0 || ticks > DateTime.MaxValue.Ticks) return false;
        utc = new DateTime(ticks, DateTimeKind.Utc);
        return true;
    }

    private static bool Zone(ReadOnlySpan<char> s, out TimeSpan offset)
    {
        offset = TimeSpan.Zero;
        if (s is "Z" or "z") return true;
        if (s.Length < 3 || s[0] is not ('+' or '-')) return false;
        int sign = s[0] == '+' ? 1 : -1;
        if (!Digits(s, 1, 2, out int hours)) return false;
        int minutes = 0;
        switch (s.Length)
        {
            case 3: break;
            case 5 when Digits(s, 3, 2, out minutes): break;
            case 6 when s[3] == ':' && Digits(s, 4, 2, out minutes): break;
            default: return false;
        }

        if (hours > 18 || minutes > 59) return false;
        offset = sign * new TimeSpan(hours, minutes, 0);
        return true;
    }

    private static bool Digits(ReadOnlySpan<char> s, int start, int count, out int value)
    {
        value = 0;
        if (start + count > s.Length) return false;
        for (int i = start; i < start + count; i++)
        {
            if (!char.IsAsciiDigit(s[i])) return false;
            value = value * 10 + (s[i] - '0');
        }

        return true;
    }
}
