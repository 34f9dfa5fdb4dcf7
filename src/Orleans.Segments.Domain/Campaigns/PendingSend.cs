namespace Orleans.Segments.Domain.Campaigns;

/// <summary>
/// A campaign message waiting in a user's outbox: triggered by a state change (persisted with it), offered by
/// a broadcast, delayed, or held by quiet hours. It is decided when <see cref="DueAt"/> comes.
/// </summary>
[GenerateSerializer, Immutable, Alias("segments.PendingSend")]
public sealed record PendingSend(
    [property: Id(0)] string CampaignId,
    [property: Id(1)] string Occurrence,
    [property: Id(2)] DateTime DueAt,
    [property: Id(3)] DateTime FirstDueAt)
{
    /// <summary>Whether the first decision (and its "targeted" count) has been made; true once held.</summary>
    [Id(4)] public bool Targeted { get; init; }

    /// <summary>The arm assigned at the first decision.</summary>
    [Id(5)] public string? Variant { get; init; }
}

/// <summary>
/// A push (or a holdout) a user was exposed to, kept for a while to credit opens, conversions and opt-outs
/// to the campaign and arm that caused them.
/// </summary>
[GenerateSerializer, Alias("segments.Exposure")]
public sealed class Exposure
{
    [Id(0)] public required string CampaignId { get; init; }

    [Id(1)] public required string Variant { get; init; }

    [Id(2)] public required string NotificationId { get; init; }

    [Id(3)] public required DateTime At { get; init; }

    [Id(4)] public MessageCategory Category { get; init; }

    /// <summary>False for the holdout, which is sent nothing but still measured for conversions.</summary>
    [Id(5)] public bool Pushed { get; init; }

    [Id(6)] public string? ConversionEvent { get; init; }

    [Id(7)] public DateTime ConversionUntil { get; init; }

    [Id(8)] public bool Opened { get; set; }

    [Id(9)] public bool Converted { get; set; }

    [Id(10)] public bool OptedOut { get; set; }
}
