namespace Orleans.Segments.Users;

/// <summary>A message rendered for one user now (or why it could not be), with its notification id and the user's live devices.</summary>
[GenerateSerializer, Immutable, Alias("segments.MessagePreview")]
public sealed record MessagePreview(
    [property: Id(0)] RenderedMessage? Rendered,
    [property: Id(1)] string NotificationId,
    [property: Id(2)] string? Error,
    [property: Id(3)] Domain.Events.DeviceToken[] Devices);

/// <summary>A message's texts as rendered for one user.</summary>
[GenerateSerializer, Immutable, Alias("segments.RenderedMessage")]
public sealed record RenderedMessage(
    [property: Id(0)] string Title,
    [property: Id(1)] string? Subtitle,
    [property: Id(2)] string Body)
{
    /// <summary>The translation rendered (its language tag), or <c>default</c> for the default texts.</summary>
    [Id(3)] public string Language { get; init; } = Domain.Campaigns.Locales.Default;

    /// <summary>The language as message logs and exposures keep it: null for the default texts.</summary>
    public string? LanguageOrNull => Language == Domain.Campaigns.Locales.Default ? null : Language;
}
