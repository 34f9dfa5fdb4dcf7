namespace Orleans.Segments.Domain.Segments;

/// <summary>
/// Orders app and OS versions the way people read them: by their numeric parts, not as text, so
/// <c>5.9.3 &lt; 5.10</c> and <c>5.10 = 5.10.0</c>. A pre-release (<c>5.2.0-beta.1</c>) comes before its
/// release, its parts compared as semantic versioning does; build metadata (<c>+45</c>) and anything after a
/// space (<c>1.2 (45)</c>) is ignored. Nothing here allocates: rules compare versions on every event.
/// </summary>
public static class VersionOrder
{
    /// <summary>The longest version a rule may name.</summary>
    public const int MaxLength = 64;

    private const int MaxParts = 8;
    private const int MaxDigits = 9;

    /// <summary>Null when <paramref name="text"/> is a version a rule may compare with; otherwise what is wrong.</summary>
    public static string? Problem(string text)
    {
        if (text.Length == 0) return "a version needs at least one number, such as 5 or 5.2.";
        if (text.Length > MaxLength) return $"a version is at most {MaxLength} characters.";
        var s = text.AsSpan();
        int parts = 0, i = 0;
        while (true)
        {
            int start = i;
            while (i < s.Length && char.IsAsciiDigit(s[i])) i++;
            if (i == start) return $"'{text}' is not a version: expected a number at position {i + 1} (versions look like 5.2, 5.10.1 or 5.2.0-beta.1).";
            if (i - start > MaxDigits) return $"'{text}' is not a version: a part has more than {MaxDigits} digits.";
            if (++parts > MaxParts) return $"'{text}' is not a version: more than {MaxParts} parts.";
            if (i == s.Length || s[i] is '-' or '+') break;
            if (s[i] != '.') return $"'{text}' is not a version: unexpected '{s[i]}' at position {i + 1}.";
            i++;
        }

        for (int j = i; j < s.Length; j++)
        {
            char c = s[j];
            bool allowed = char.IsAsciiLetterOrDigit(c) || c is '.' or '-' || (c == '+' && j >= i);
            if (!allowed || (c == '.' && (j + 1 == s.Length || s[j + 1] is '.' or '+' || s[j - 1] is '.' or '-' or '+')))
            {
                return $"'{text}' is not a version: unexpected '{c}' at position {j + 1}.";
            }
        }

        if (i < s.Length && i + 1 == s.Length) return $"'{text}' is not a version: nothing after '{s[i]}'.";
        return null;
    }

    /// <summary>
    /// Compares two versions; false when either has no leading number (such as "unknown"), so a user whose
    /// version cannot be read matches no version condition.
    /// </summary>
    public static bool TryCompare(ReadOnlySpan<char> a, ReadOnlySpan<char> b, out int order)
    {
        order = 0;
        if (!Split(a, out var aNumbers, out var aPre) || !Split(b, out var bNumbers, out var bPre)) return false;
        while (!aNumbers.IsEmpty || !bNumbers.IsEmpty)
        {
            long x = NextNumber(ref aNumbers), y = NextNumber(ref bNumbers);
            if (x != y)
            {
                order = x < y ? -1 : 1;
                return true;
            }
        }

        // Why: a pre-release precedes its release (5.2.0-beta < 5.2.0), as in semantic versioning.
        if (aPre.IsEmpty != bPre.IsEmpty)
        {
            order = aPre.IsEmpty ? 1 : -1;
            return true;
        }

        order = ComparePreRelease(aPre, bPre);
        return true;
    }

    /// <summary>The dotted numbers and the pre-release of a version; false when it starts with no number.</summary>
    private static bool Split(ReadOnlySpan<char> text, out ReadOnlySpan<char> numbers, out ReadOnlySpan<char> preRelease)
    {
        text = text.Trim();
        if (text.Length > 0 && text[0] is 'v' or 'V') text = text[1..];
        int i = 0;
        while (i < text.Length && (char.IsAsciiDigit(text[i]) || (text[i] == '.' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1]) && i > 0)))
        {
            i++;
        }

        numbers = text[..i];
        preRelease = default;
        if (i == 0) return false;
        if (i < text.Length && text[i] == '-')
        {
            var rest = text[(i + 1)..];
            int end = rest.IndexOfAny('+', ' ');
            preRelease = end < 0 ? rest : rest[..end];
        }

        return true;
    }

    private static long NextNumber(ref ReadOnlySpan<char> numbers)
    {
        if (numbers.IsEmpty) return 0;
        int dot = numbers.IndexOf('.');
        var part = dot < 0 ? numbers : numbers[..dot];
        numbers = dot < 0 ? default : numbers[(dot + 1)..];
        long value = 0;
        foreach (char c in part.Length > 18 ? part[^18..] : part) value = value * 10 + (c - '0');
        return value;
    }

    private static int ComparePreRelease(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        while (!a.IsEmpty && !b.IsEmpty)
        {
            var x = NextIdentifier(ref a);
            var y = NextIdentifier(ref b);
            bool xNumeric = x.Length is > 0 and <= 18 && AllDigits(x);
            bool yNumeric = y.Length is > 0 and <= 18 && AllDigits(y);
            int order = (xNumeric, yNumeric) switch
            {
                (true, true) => long.Parse(x, provider: System.Globalization.CultureInfo.InvariantCulture).CompareTo(long.Parse(y, provider: System.Globalization.CultureInfo.InvariantCulture)),
                (true, false) => -1,
                (false, true) => 1,
                _ => Math.Sign(x.SequenceCompareTo(y)),
            };
            if (order != 0) return order;
        }

        return a.IsEmpty == b.IsEmpty ? 0 : a.IsEmpty ? -1 : 1;
    }

    /// <summary>Whether every character is an ASCII digit (by hand: ContainsAnyExceptInRange allocates for chars).</summary>
    private static bool AllDigits(ReadOnlySpan<char> text)
    {
        foreach (char c in text)
        {
            if (!char.IsAsciiDigit(c)) return false;
        }

        return true;
    }

    private static ReadOnlySpan<char> NextIdentifier(ref ReadOnlySpan<char> text)
    {
        int dot = text.IndexOf('.');
        var identifier = dot < 0 ? text : text[..dot];
        text = dot < 0 ? default : text[(dot + 1)..];
        return identifier;
    }
}
