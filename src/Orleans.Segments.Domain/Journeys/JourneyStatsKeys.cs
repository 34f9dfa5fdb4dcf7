namespace Orleans.Segments.Domain.Journeys;

/// <summary>
/// How a journey's counts are kept in the campaigns' statistics shards: under the pseudo-campaign
/// <c>journey:&lt;id&gt;</c> (no campaign id has a colon), one arm per version and step (<c>2:welcome</c>) and one per
/// version and step's A/B variant (<c>2:welcome#b</c>), and one per
/// version for the journey as a whole (<c>2:*</c>: entered, converted), with the users of the app's global control
/// group apart (<c>2:*control</c>), so the journey's lift can be read beside them. No step id starts with <c>*</c>.
/// </summary>
public static class JourneyStatsKeys
{
    public const string Prefix = "journey:";

    public const string Whole = "*";

    public const string ControlGroup = "*control";

    public static string StatsId(string journeyId) => Prefix + journeyId;

    public static bool IsJourney(string campaignId) => campaignId.StartsWith(Prefix, StringComparison.Ordinal);

    public static string Arm(int version, string step) => $"{version}:{step}";

    /// <summary>The arm of a message step's A/B variant: its messages are counted there, the step's moves under <see cref="Arm"/>.</summary>
    public static string VariantArm(int version, string step, string variant) => $"{version}:{step}#{variant}";

    /// <summary>The version and step of an arm, or null if it is not a journey arm.</summary>
    public static (int Version, string Step)? Parse(string arm)
    {
        int colon = arm.IndexOf(':');
        return colon > 0 && int.TryParse(arm.AsSpan(0, colon), System.Globalization.CultureInfo.InvariantCulture, out int version)
            ? (version, arm[(colon + 1)..])
            : null;
    }
}
