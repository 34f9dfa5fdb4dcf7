using MessagePack;

namespace Orleans.Segments.Domain.Campaigns;

/// <summary>
/// An action button of a rich push: the app's handler learns which one was tapped by its id. iOS shows buttons
/// through the notification category the app registered; Android SDKs draw them from the push's data.
/// </summary>
[GenerateSerializer, Immutable, Alias("segments.PushButton")]
[MessagePackObject]
public sealed record PushButton(
    [property: Id(0), Key(0)] string Id,
    [property: Id(1), Key(1)] string Title)
{
    /// <summary>A link the app opens when this button is tapped.</summary>
    [Id(2), Key(2)] public string? DeepLink { get; init; }
}
