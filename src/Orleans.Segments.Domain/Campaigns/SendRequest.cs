using MessagePack;

namespace Orleans.Segments.Domain.Campaigns;

/// <summary>
/// A campaign's wish to push one occurrence of a message to one user. <see cref="Occurrence"/> makes it
/// idempotent: the same (campaign, occurrence) is reserved at most once per user, retries included.
/// </summary>
[GenerateSerializer, Immutable, Alias("segments.SendRequest")]
[MessagePackObject]
public sealed record SendRequest(
    [property: Id(0), Key(0)] string CampaignId,
    [property: Id(1), Key(1)] string Occurrence,
    [property: Id(2), Key(2)] MessageCategory Category,
    [property: Id(3), Key(3)] MessagePriority Priority)
{
    /// <summary>The campaign's own cap per user: at most this many of its pushes per <see cref="CampaignWindow"/>.</summary>
    [Id(4), Key(4)] public int? CampaignLimit { get; init; }

    /// <summary>The window of <see cref="CampaignLimit"/>; null means ever.</summary>
    [Id(5), Key(5)] public TimeSpan? CampaignWindow { get; init; }

    /// <summary>The campaign's quiet hours instead of the app's, if set.</summary>
    [Id(6), Key(6)] public QuietHours? QuietHours { get; init; }

    /// <summary>Drop instead of holding when quiet hours would delay the message past its time to live.</summary>
    [Id(7), Key(7)] public TimeSpan TimeToLive { get; init; } = TimeSpan.FromDays(1);

    /// <summary>When the message was first due; with <see cref="TimeToLive"/> it says when it goes stale.</summary>
    [Id(8), Key(8)] public DateTime DueAt { get; init; }

    /// <summary>Drop, instead of holding, a message due in quiet hours.</summary>
    [Id(9), Key(9)] public bool DropInQuietHours { get; init; }
}
