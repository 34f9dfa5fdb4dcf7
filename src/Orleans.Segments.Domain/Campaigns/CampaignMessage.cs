using MessagePack;

namespace Orleans.Segments.Domain.Campaigns;

/// <summary>What a push says and carries; title, subtitle and body are Liquid templates.</summary>
[GenerateSerializer, Immutable, Alias("segments.CampaignMessage")]
[MessagePackObject]
public sealed record CampaignMessage(
    [property: Id(0), Key(0)] string Title,
    [property: Id(1), Key(1)] string Body)
{
    [Id(2), Key(2)] public string? Subtitle { get; init; }

    /// <summary>A link the app opens when the push is tapped.</summary>
    [Id(3), Key(3)] public string? DeepLink { get; init; }

    /// <summary>Custom data delivered with the push (FCM needs string values).</summary>
    [Id(4), Key(4)] public Dictionary<string, string>? Data { get; init; }

    /// <summary>Pushes with the same collapse id replace each other on the device.</summary>
    [Id(5), Key(5)] public string? CollapseId { get; init; }

    [Id(6), Key(6)] public string? Sound { get; init; }

    /// <summary>The texts in other languages, keyed by canonical language tag (<c>de</c>, <c>de-AT</c>); see <see cref="Locales"/>.</summary>
    [Id(7), Key(7)] public Dictionary<string, MessageTranslation>? Translations { get; init; }

    /// <summary>
    /// The message as a user of <paramref name="locale"/> gets it (the best translation's texts, the rest
    /// unchanged) and the language it is counted under: the translation's tag, or <see cref="Locales.Default"/>.
    /// </summary>
    public (CampaignMessage Message, string Language) For(string? locale) =>
        Locales.Match(Translations, locale) is { } tag ? (In(tag), tag) : (this, Locales.Default);

    /// <summary>The message with the texts of the translation <paramref name="tag"/> (which must exist).</summary>
    public CampaignMessage In(string tag)
    {
        var t = Translations![tag];
        return this with { Title = t.Title, Body = t.Body, Subtitle = t.Subtitle, Translations = null };
    }

    private static bool IsReservedKey(string key) =>
        key is "aps" or "from" or "notification" or "message_type" or "notification_id" or "campaign_id" or "deep_link"
        || key.StartsWith("google", StringComparison.OrdinalIgnoreCase) || key.StartsWith("gcm", StringComparison.OrdinalIgnoreCase);

    /// <summary>The first problem with the templates, with its position, or null.</summary>
    public string? Validate()
    {
        if (string.IsNullOrWhiteSpace(Title) && string.IsNullOrWhiteSpace(Body)) return "a message needs a title or a body.";
        foreach (var (field, text) in new[] { ("title", Title), ("body", Body), ("subtitle", Subtitle) })
        {
            if (text is not null && !MessageTemplate.TryParse(text, out _, out var error)) return $"{field}: {error}";
        }

        if (Translations is { Count: > Locales.MaxTranslations }) return $"translations: at most {Locales.MaxTranslations}.";
        foreach (var (tag, t) in Translations ?? [])
        {
            if (Locales.Canonical(tag) != tag) return $"translations.{tag}: not a language tag such as de, de-AT or pt-BR.";
            if (string.IsNullOrWhiteSpace(t.Title) && string.IsNullOrWhiteSpace(t.Body)) return $"translations.{tag}: a translation needs a title or a body.";
            foreach (var (field, text) in new[] { ("title", t.Title), ("body", t.Body), ("subtitle", t.Subtitle) })
            {
                if (text is not null && !MessageTemplate.TryParse(text, out _, out var error)) return $"translations.{tag}.{field}: {error}";
            }
        }

        if (Data is { Count: > 64 }) return "data may hold at most 64 entries.";
        if (Data?.Keys.FirstOrDefault(IsReservedKey) is { } reserved)
        {
            return $"data.{reserved}: reserved (APNs' 'aps', FCM's 'from', 'notification', 'message_type', 'google*' and 'gcm*', and the engine's notification_id, campaign_id and deep_link).";
        }
        if (CollapseId is { Length: > 64 }) return "collapseId may be at most 64 characters (APNs' limit).";
        return null;
    }
}
