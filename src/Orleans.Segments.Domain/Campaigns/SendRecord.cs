using MessagePack;

namespace Orleans.Segments.Domain.Campaigns;

/// <summary>A push reserved for a user: which campaign and occurrence, what kind, and when.</summary>
[GenerateSerializer, SuppressReferenceTracking, Immutable, Alias("segments.SendRecord")]
[MessagePackObject]
public sealed record SendRecord(
    [property: Id(0), Key(0)] string CampaignId,
    [property: Id(1), Key(1)] string Occurrence,
    [property: Id(2), Key(2)] MessageCategory Category,
    [property: Id(3), Key(3)] DateTime At,
    [property: Id(4), Key(4)] string NotificationId);
