using System.IO.Hashing;
using System.Text;

namespace Orleans.Segments.Domain.Campaigns;

/// <summary>A message variant of an experiment and its share of the users, in percent.</summary>
[GenerateSerializer, Immutable, Alias("segments.VariantSplit")]
public sealed record VariantSplit([property: Id(0)] string Name, [property: Id(1)] double Percent);

/// <summary>
/// Assigns users to a campaign's holdout or variants by a hash of (campaign, user): the same user always gets
/// the same arm of the same campaign, on any silo, and different campaigns split independently.
/// </summary>
public static class VariantAssigner
{
    /// <summary>The name of the holdout arm.</summary>
    public const string Holdout = "holdout";

    /// <summary>The name of the arm of users in the app's global control group.</summary>
    public const string Control = "control";

    /// <summary>
    /// Whether the user is in the app's global control group of <paramref name="percent"/> %: the same users every time
    /// and for every campaign (a point of its own, independent of every campaign's split), and a user stays in it
    /// while the percentage only grows.
    /// </summary>
    public static bool InControlGroup(string appId, string userId, double percent) =>
        percent > 0 && Point("\u0001control/" + appId, userId) * 100 < percent;

    public static string Assign(string campaignId, string userId, double holdoutPercent, IReadOnlyList<VariantSplit> variants)
    {
        double point = Point(campaignId, userId) * 100;
        if (point < holdoutPercent) return Holdout;
        double total = variants.Sum(v => v.Percent);
        if (variants.Count == 0 || total <= 0) return "default";

        // The remaining users are split in proportion to the variants' percentages.
        double scaled = (point - holdoutPercent) / (100 - holdoutPercent) * total;
        double edge = 0;
        foreach (var variant in variants)
        {
            edge += variant.Percent;
            if (scaled < edge) return variant.Name;
        }

        return variants[^1].Name;
    }

    /// <summary>A uniform point in [0, 1) for the pair.</summary>
    public static double Point(string campaignId, string userId)
    {
        ulong hash = XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(campaignId + "\u001f" + userId));
        return (hash >> 11) * (1.0 / (1UL << 53));
    }
}
