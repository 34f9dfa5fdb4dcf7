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

    /// <summary>An https image shown with the push (FCM <c>notification.image</c>; APNs via a notification service extension).</summary>
    [Id(8), Key(8)] public string? Image { get; init; }

    /// <summary>Up to <see cref="MaxButtons"/> action buttons, delivered in the data as <c>buttons</c>.</summary>
    [Id(9), Key(9)] public List<PushButton>? Buttons { get; init; }

    /// <summary>The notification category: APNs <c>category</c> (the buttons the app registered for it) and FCM <c>click_action</c>.</summary>
    [Id(10), Key(10)] public string? Category { get; init; }

    /// <summary>The app icon's badge: a number to set, 0 to clear; null leaves it.</summary>
    [Id(11), Key(11)] public int? Badge { get; init; }

    /// <summary>Groups the app's notifications on iOS (APNs <c>thread-id</c>).</summary>
    [Id(12), Key(12)] public string? ThreadId { get; init; }

    /// <summary>The Android notification channel the push is shown in.</summary>
    [Id(13), Key(13)] public string? ChannelId { get; init; }

    public const int MaxButtons = 4;

    /// <summary>The longest image URL accepted (2 KB).</summary>
    public const int MaxImageUrl = 2048;

    public const int MaxBadge = 99_999;

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
        key is "aps" or "from" or "notification" or "message_type" or "notification_id" or "campaign_id" or "deep_link" or "image_url" or "buttons"
        || key.StartsWith("google", StringComparison.OrdinalIgnoreCase) || key.StartsWith("gcm", StringComparison.OrdinalIgnoreCase);

    /// <summary>Why <paramref name="url"/> cannot be a push's image, or null: an absolute https URL of at most 2 KB.</summary>
    public static string? ImageProblem(string url)
    {
        if (url.Length > MaxImageUrl) return $"at most {MaxImageUrl} characters.";
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps || string.IsNullOrEmpty(uri.Host) || url.Any(char.IsWhiteSpace))
        {
            return "an absolute https URL (devices fetch the image themselves, and iOS refuses plain http).";
        }

        return null;
    }

    private static bool IsToken(string text, int max) =>
        text.Length > 0 && text.Length <= max && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    /// <summary>Whether the push shows the user anything (a silent push may not).</summary>
    [IgnoreMember]
    public bool IsVisible =>
        !string.IsNullOrEmpty(Title) || !string.IsNullOrEmpty(Body) || Subtitle is not null || Translations is not null || Image is not null
        || Buttons is not null || Category is not null || Badge is not null || Sound is not null;

    /// <summary>The first problem with the templates, with its position, or null; a <paramref name="silent"/> message must show nothing.</summary>
    public string? Validate(bool silent = false)
    {
        if (silent && IsVisible) return "a silent push shows nothing: leave out title, subtitle, body, translations, image, buttons, category, badge and sound, and send data.";
        if (!silent && string.IsNullOrWhiteSpace(Title) && string.IsNullOrWhiteSpace(Body)) return "a message needs a title or a body.";
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
            return $"data.{reserved}: reserved (APNs' 'aps', FCM's 'from', 'notification', 'message_type', 'google*' and 'gcm*', and the engine's notification_id, campaign_id, deep_link, image_url and buttons).";
        }

        if (Image is not null && ImageProblem(Image) is { } image) return $"image: {image}";
        if (Buttons is { Count: > MaxButtons }) return $"buttons: at most {MaxButtons} (what iOS and Android show).";
        for (int i = 0; i < (Buttons?.Count ?? 0); i++)
        {
            var b = Buttons![i];
            if (!IsToken(b.Id, 64)) return $"buttons[{i}].id: 1 to 64 characters of a-z, A-Z, 0-9, '-', '_' and '.'.";
            if (string.IsNullOrWhiteSpace(b.Title) || b.Title.Length > 50) return $"buttons[{i}].title: 1 to 50 characters.";
            if (Buttons.FindIndex(o => o.Id == b.Id) != i) return $"buttons[{i}].id: '{b.Id}' is used twice.";
        }

        if (Category is not null && !IsToken(Category, 64)) return "actionCategory: 1 to 64 characters of a-z, A-Z, 0-9, '-', '_' and '.' (the identifier the app registered).";
        if (Badge is < 0 or > MaxBadge) return $"badge: 0 (clears it) to {MaxBadge}.";
        if (ThreadId is { Length: 0 or > 64 }) return "threadId: 1 to 64 characters.";
        if (ChannelId is not null && !IsToken(ChannelId, 100)) return "channelId: 1 to 100 characters of a-z, A-Z, 0-9, '-', '_' and '.' (the channel the app created).";
        if (CollapseId is { Length: > 64 }) return "collapseId may be at most 64 characters (APNs' limit).";
        return null;
    }
}
