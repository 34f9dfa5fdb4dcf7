using MessagePack;

namespace Orleans.Segments.Domain.Campaigns;

/// <summary>A message's texts in one language or locale (Liquid templates, like the default's).</summary>
[GenerateSerializer, Immutable, Alias("segments.MessageTranslation")]
[MessagePackObject]
public sealed record MessageTranslation(
    [property: Id(0), Key(0)] string Title,
    [property: Id(1), Key(1)] string Body)
{
    [Id(2), Key(2)] public string? Subtitle { get; init; }
}
