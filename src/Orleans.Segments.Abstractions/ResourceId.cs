using System.Buffers;

namespace Orleans.Segments;

/// <summary>
/// The one id rule for apps, segments, geofences and campaigns: 1 to 64 characters of a-z, 0-9, '-' and '_',
/// starting with a letter or digit. Checked character by character, so nothing else can pass: no final newline
/// (a regex's <c>$</c> would let one through), no NUL, no look-alike letters from other scripts.
/// </summary>
public static class ResourceId
{
    public const int MaxLength = 64;

    /// <summary>The rule in words, for error messages.</summary>
    public const string Rule = "an id is 1 to 64 characters of a-z, 0-9, '-' and '_', starting with a letter or digit";

    private static readonly SearchValues<char> First = SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789");
    private static readonly SearchValues<char> Rest = SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789-_");

    public static bool IsValid(string? id) =>
        id is { Length: > 0 and <= MaxLength } && First.Contains(id[0]) && id.AsSpan(1).IndexOfAnyExcept(Rest) < 0;

    /// <summary>The id as it may be shown in a message: escaped control characters, at most 80 characters.</summary>
    public static string Printable(string id)
    {
        var text = new System.Text.StringBuilder(Math.Min(id.Length, 80) + 8);
        foreach (char c in id.Length > 80 ? id[..80] : id)
        {
            if (char.IsControl(c) || char.IsSurrogate(c)) text.Append($"\\u{(int)c:x4}");
            else text.Append(c);
        }

        if (id.Length > 80) text.Append('…');
        return text.ToString();
    }
}
