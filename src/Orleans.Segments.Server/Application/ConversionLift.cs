namespace Orleans.Segments.Server.Application;

/// <summary>
/// A campaign arm's conversion rate against the holdout's: the lift, and a two-sided two-proportion z-test
/// (pooled standard error) at α = 0.05. The test needs at least five conversions and five non-conversions
/// expected in each group; below that it is not run and the answer says so.
/// </summary>
public sealed record ConversionLift(
    double ArmRate,
    double HoldoutRate,
    double? Lift,
    double? Z,
    double? PValue,
    string Verdict)
{
    public const double Alpha = 0.05;

    public bool Significant => PValue is < Alpha;

    /// <summary>The comparison, or null when either group has no users yet.</summary>
    public static ConversionLift? Compare(long armConverted, long armUsers, long holdoutConverted, long holdoutUsers)
    {
        if (armUsers <= 0 || holdoutUsers <= 0) return null;
        double p1 = (double)armConverted / armUsers, p2 = (double)holdoutConverted / holdoutUsers;
        double? lift = p2 > 0 ? (p1 - p2) / p2 : null;
        double pooled = (double)(armConverted + holdoutConverted) / (armUsers + holdoutUsers);
        double smallest = Math.Min(Math.Min(armUsers * pooled, armUsers * (1 - pooled)), Math.Min(holdoutUsers * pooled, holdoutUsers * (1 - pooled)));
        if (smallest < 5)
        {
            return new ConversionLift(p1, p2, lift, null, null, "too few users or conversions for the test yet (it needs at least 5 expected conversions and non-conversions in each group)");
        }

        double se = Math.Sqrt(pooled * (1 - pooled) * (1.0 / armUsers + 1.0 / holdoutUsers));
        double z = (p1 - p2) / se;
        double p = 2 * UpperTail(Math.Abs(z));
        string verdict = p < Alpha
            ? (z > 0 ? "significantly higher than the holdout" : "significantly lower than the holdout")
            : "not significantly different from the holdout";
        return new ConversionLift(p1, p2, lift, z, p, verdict);
    }

    /// <summary>P(Z &gt; z) for a standard normal Z: erfc(z/√2)/2, by Abramowitz and Stegun 7.1.26 (error below 1.5e-7).</summary>
    internal static double UpperTail(double z)
    {
        double x = z / Math.Sqrt(2);
        double t = 1 / (1 + 0.3275911 * x);
        double poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
        return 0.5 * poly * Math.Exp(-x * x);
    }
}
