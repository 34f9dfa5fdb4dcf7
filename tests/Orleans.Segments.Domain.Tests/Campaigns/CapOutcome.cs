using Orleans.Segments.Domain.Campaigns;

namespace Orleans.Segments.Domain.Tests.Campaigns;

/// <summary>Which of the decider's checks settled a request.</summary>
public enum CapCheck
{
    None,
    Duplicate,
    Consent,
    Device,
    CampaignCap,
    AppCap,
    HighPriorityReserve,
    MinimumGap,
    QuietHours,
}

/// <summary>A decision as the reference model states it: verdict, reason, the check that settled it, and when a held message may go.</summary>
public sealed record CapOutcome(SendVerdict Verdict, SuppressionReason Reason, CapCheck Check, DateTime? DeferUntil = null)
{
    public static readonly CapOutcome Sent = new(SendVerdict.Send, SuppressionReason.None, CapCheck.None);

    public static readonly CapOutcome Duplicate = new(SendVerdict.Duplicate, SuppressionReason.None, CapCheck.Duplicate);

    public static CapOutcome Suppressed(SuppressionReason reason, CapCheck check) => new(SendVerdict.Suppressed, reason, check);

    /// <summary>
    /// The decider's decision in the model's terms. Why: several checks share <see cref="SuppressionReason.Capped"/>,
    /// and only the detail tells the campaign cap, the app caps, their reserve and the minimum gap apart.
    /// </summary>
    public static CapOutcome Of(SendDecision decision) => new(decision.Verdict, decision.Reason, decision switch
    {
        { Verdict: SendVerdict.Send } => CapCheck.None,
        { Verdict: SendVerdict.Duplicate } => CapCheck.Duplicate,
        { Reason: SuppressionReason.NoConsent } => CapCheck.Consent,
        { Reason: SuppressionReason.NoDevice } => CapCheck.Device,
        { Reason: SuppressionReason.QuietHours } => CapCheck.QuietHours,
        { Detail: var d } when d.StartsWith("campaign cap", StringComparison.Ordinal) => CapCheck.CampaignCap,
        { Detail: var d } when d.Contains("kept for high-priority", StringComparison.Ordinal) => CapCheck.HighPriorityReserve,
        { Detail: var d } when d.StartsWith("app cap", StringComparison.Ordinal) => CapCheck.AppCap,
        { Detail: var d } when d.StartsWith("minimum gap", StringComparison.Ordinal) => CapCheck.MinimumGap,
        _ => throw new InvalidOperationException($"a decision the model does not know: {decision}"),
    }, decision.DeferUntil);

    public override string ToString() => $"{Verdict} {Reason} ({Check}){(DeferUntil is { } at ? $" until {at:O}" : "")}";
}
