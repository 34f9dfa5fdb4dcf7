using MessagePack;

namespace Orleans.Segments.Domain.Campaigns;

/// <summary>
/// A push (or a holdout) a user was exposed to, kept for a while to credit opens, conversions and opt-outs
/// to the campaign and arm that caused them.
/// </summary>
[GenerateSerializer, SuppressReferenceTracking, Alias("segments.Exposure")]
[MessagePackObject]
public sealed class Exposure
{
    [Id(0), Key(0)] public required string CampaignId { get; init; }

    [Id(1), Key(1)] public required string Variant { get; init; }

    [Id(2), Key(2)] public required string NotificationId { get; init; }

    [Id(3), Key(3)] public required DateTime At { get; init; }

    [Id(4), Key(4)] public MessageCategory Category { get; init; }

    /// <summary>False for the holdout, which is sent nothing but still measured for conversions.</summary>
    [Id(5), Key(5)] public bool Pushed { get; init; }

    [Id(6), Key(6)] public string? ConversionEvent { get; init; }

    [Id(7), Key(7)] public DateTime ConversionUntil { get; init; }

    [Id(8), Key(8)] public bool Opened { get; set; }

    [Id(9), Key(9)] public bool Converted { get; set; }

    [Id(10), Key(10)] public bool OptedOut { get; set; }

    /// <summary>The translation pushed (its language tag); null for the default texts or no push.</summary>
    [Id(11), Key(11)] public string? Language { get; init; }
}
