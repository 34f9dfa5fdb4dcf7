namespace Orleans.Segments.Domain.Campaigns;

public enum SendVerdict : byte
{
    /// <summary>Reserved: the push may go out now.</summary>
    Send = 0,
    /// <summary>This occurrence was already reserved for the user; nothing new happens.</summary>
    Duplicate = 1,
    /// <summary>Quiet hours: due again at <see cref="SendDecision.DeferUntil"/>.</summary>
    Deferred = 2,
    /// <summary>Not sent; <see cref="SendDecision.Reason"/> says why.</summary>
    Suppressed = 3,
}

public enum SuppressionReason : byte
{
    None = 0,
    Capped = 1,
    QuietHours = 2,
    NoConsent = 3,
    NoDevice = 4,
    Holdout = 5,
}

/// <summary>What the user's grain decided about a <see cref="SendRequest"/>, and why.</summary>
[GenerateSerializer, Immutable, Alias("segments.SendDecision")]
public sealed record SendDecision(
    [property: Id(0)] SendVerdict Verdict,
    [property: Id(1)] SuppressionReason Reason,
    [property: Id(2)] string Detail,
    [property: Id(3)] DateTime? DeferUntil,
    [property: Id(4)] SendRecord? Reservation);
