namespace Orleans.Segments.Domain.Interests;

/// <summary>How events build interest scores. Bound from <c>Segments:Apps:&lt;appId&gt;:Interests</c>.</summary>
public sealed class InterestPolicy
{
    /// <summary>The time after which an interest signal counts half. Default: 14 days.</summary>
    public TimeSpan HalfLife { get; set; } = TimeSpan.FromDays(14);

    /// <summary>The weight of each event name that names a category. Default: viewed 1, added 3, ordered 5, and a few more.</summary>
    public Dictionary<string, double> Weights { get; set; } = new(StringComparer.Ordinal)
    {
        ["Product Viewed"] = 1,
        ["Product Clicked"] = 1,
        ["Product Added to Wishlist"] = 2,
        ["Product Added"] = 3,
        ["Checkout Started"] = 3,
        ["Order Completed"] = 5,
    };

    /// <summary>How many categories a user keeps; the weakest is forgotten first. Default: 32.</summary>
    public int MaxCategories { get; set; } = 32;

    public static InterestPolicy Default { get; } = new();
}
