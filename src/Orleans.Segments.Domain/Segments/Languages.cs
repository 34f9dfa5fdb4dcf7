namespace Orleans.Segments.Domain.Segments;

/// <summary>The language of a locale: its first subtag in lower case (<c>de</c> of <c>de-DE</c>, <c>pt</c> of <c>pt_BR</c>).</summary>
public static class Languages
{
    public static string Of(string locale)
    {
        int end = locale.AsSpan().IndexOfAny('-', '_');
        var language = end < 0 ? locale : locale[..end];
        return language.ToLowerInvariant();
    }
}
