using System.Text;
using Orleans.Segments.Domain.Events;
using Orleans.Segments.Domain.Profile;

namespace Orleans.Segments.Domain.Campaigns;

/// <summary>
/// Language tags (BCP 47: <c>de</c>, <c>de-AT</c>, <c>pt-BR</c>, <c>zh-Hant-TW</c>) and the choice of a message's
/// translation for a user. The order, stated once for the API, the console and the docs:
/// <list type="number">
/// <item>the translation whose tag is the user's locale (letter case and <c>_</c> for <c>-</c> aside);</item>
/// <item>the user's locale with its last subtag dropped, again and again (<c>zh-Hant-TW</c>, <c>zh-Hant</c>, <c>zh</c>);</item>
/// <item>another region of the user's language, the first of them in alphabetical order (<c>pt-PT</c> gets <c>pt-BR</c>);</item>
/// <item>the default texts.</item>
/// </list>
/// The user's locale is their <c>locale</c> trait (an app's own language setting) when it is a language tag,
/// otherwise the locale the SDK reported for their most recently seen device.
/// </summary>
public static class Locales
{
    /// <summary>What statistics call the default texts.</summary>
    public const string Default = "default";

    public const int MaxTranslations = 50;

    /// <summary>The tag in its usual letter case (<c>de-AT</c>, <c>zh-Hant-TW</c>), or null if it is not a language tag.</summary>
    public static string? Canonical(string? tag)
    {
        if (tag is null || tag.Length is 0 or > 35) return null;
        var parts = tag.Replace('_', '-').Split('-');
        if (parts[0].Length is < 2 or > 3 || !IsLetters(parts[0])) return null;
        if (parts.Length > 4) return null;
        var text = new StringBuilder(parts[0].ToLowerInvariant());
        for (int i = 1; i < parts.Length; i++)
        {
            var part = parts[i];
            if (part.Length is < 2 or > 8 || !part.All(char.IsAsciiLetterOrDigit)) return null;
            text.Append('-');
            if (part.Length == 4 && IsLetters(part)) text.Append(char.ToUpperInvariant(part[0])).Append(part[1..].ToLowerInvariant());
            else if (part.Length == 2 || (part.Length == 3 && part.All(char.IsAsciiDigit))) text.Append(part.ToUpperInvariant());
            else text.Append(part.ToLowerInvariant());
        }

        return text.ToString();
    }

    /// <summary>The user's locale (see the type's remarks), canonical, or null when nothing says it.</summary>
    public static string? Of(UserProfileState state)
    {
        if (state.Traits.TryGetValue("locale", out var trait) && trait.Kind == TraitKind.String && Canonical(trait.Text) is { } chosen) return chosen;

        // Why: the most recently seen device is kept last.
        for (int i = state.AppDevices.Count - 1; i >= 0; i--)
        {
            if (Canonical(state.AppDevices[i].Context.Locale) is { } reported) return reported;
        }

        return null;
    }

    /// <summary>The key of the translation for <paramref name="locale"/> among <paramref name="translations"/>, or null for the default.</summary>
    public static string? Match(IReadOnlyDictionary<string, MessageTranslation>? translations, string? locale)
    {
        if (translations is not { Count: > 0 } || Canonical(locale) is not { } wanted) return null;

        // Why: keys are canonical (the API writes them so), so an ordinal look-up finds exact tags and their parents.
        for (string? tag = wanted; tag is not null; tag = Parent(tag))
        {
            if (translations.ContainsKey(tag)) return tag;
        }

        string language = Language(wanted);
        string? sibling = null;
        foreach (var key in translations.Keys)
        {
            if (Language(key) == language && (sibling is null || string.CompareOrdinal(key, sibling) < 0)) sibling = key;
        }

        return sibling;
    }

    /// <summary>The first subtag: <c>de</c> of <c>de-AT</c>.</summary>
    public static string Language(string canonicalTag)
    {
        int dash = canonicalTag.IndexOf('-');
        return dash < 0 ? canonicalTag : canonicalTag[..dash];
    }

    private static string? Parent(string tag)
    {
        int dash = tag.LastIndexOf('-');
        return dash < 0 ? null : tag[..dash];
    }

    private static bool IsLetters(string text) => text.All(char.IsAsciiLetter);
}
