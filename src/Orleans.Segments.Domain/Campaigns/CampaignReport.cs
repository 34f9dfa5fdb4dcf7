using MessagePack;

namespace Orleans.Segments.Domain.Campaigns;

/// <summary>What a report counts.</summary>
public enum ReportKind : byte
{
    /// <summary>The first decision about a (campaign, occurrence) for a user.</summary>
    Targeted = 0,
    /// <summary>Not sent; the reason is a <see cref="SuppressionReason"/> wire name.</summary>
    Suppressed = 1,
    /// <summary>Handed to APNs/FCM and accepted for at least one device.</summary>
    Sent = 2,
    /// <summary>Handed over and accepted by no provider; the reason says why.</summary>
    Failed = 3,
    /// <summary><c>Push Notification Tapped</c> carried this notification's id.</summary>
    Opened = 4,
    /// <summary>The campaign's conversion event happened within the attribution window.</summary>
    Converted = 5,
    /// <summary>Marketing consent was withdrawn within the opt-out window after this push.</summary>
    OptedOut = 6,
    /// <summary>A user entered a journey (counted under the version's <c>*</c> arm).</summary>
    Entered = 7,
    /// <summary>A user reached a journey step (the arm names the version and the step).</summary>
    Reached = 8,
    /// <summary>A user left a journey step for the next; the reason is the path taken.</summary>
    Moved = 9,
    /// <summary>A user left a journey at a step; the reason is why.</summary>
    Exited = 10,
    /// <summary>A user who took a path from a journey step converted within the journey's window; the reason is the path.</summary>
    PathConverted = 11,
}

/// <summary>One count for a campaign's statistics, sent by the user grain that decided it.</summary>
[GenerateSerializer, SuppressReferenceTracking, Immutable, Alias("segments.CampaignReport")]
[MessagePackObject]
public sealed record CampaignReport(
    [property: Id(0), Key(0)] string CampaignId,
    [property: Id(1), Key(1)] string Variant,
    [property: Id(2), Key(2)] ReportKind Kind,
    [property: Id(3), Key(3)] string? Reason = null)
{
    /// <summary>When it happened (the hour it is charted in); default for reports made before this was kept.</summary>
    [Id(4), Key(4)] public DateTime At { get; init; }
}
