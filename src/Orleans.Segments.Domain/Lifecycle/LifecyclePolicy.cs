namespace Orleans.Segments.Domain.Lifecycle;

/// <summary>Thresholds of the lifecycle stages. Bound from <c>Segments:Apps:&lt;appId&gt;:Lifecycle</c>.</summary>
public sealed class LifecyclePolicy
{
    /// <summary>How long after first being seen a user counts as new. Default: 7 days.</summary>
    public TimeSpan NewFor { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Silence after which a user is at risk. Default: 7 days.</summary>
    public TimeSpan AtRiskAfter { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Silence after which a user has lapsed. Default: 30 days.</summary>
    public TimeSpan LapsedAfter { get; set; } = TimeSpan.FromDays(30);

    /// <summary>The event whose count makes a user loyal. Default: <c>Order Completed</c>.</summary>
    public string LoyalEvent { get; set; } = "Order Completed";

    /// <summary>How many <see cref="LoyalEvent"/>s within <see cref="LoyalEventWindow"/> make a user loyal. Default: 3.</summary>
    public int LoyalMinEvents { get; set; } = 3;

    /// <summary>The window for <see cref="LoyalMinEvents"/>. Default: 90 days.</summary>
    public TimeSpan LoyalEventWindow { get; set; } = TimeSpan.FromDays(90);

    /// <summary>How many active UTC days within <see cref="LoyalActiveDaysWindow"/> make a user loyal. Default: 12.</summary>
    public int LoyalMinActiveDays { get; set; } = 12;

    /// <summary>The window for <see cref="LoyalMinActiveDays"/>, in days. Default: 30.</summary>
    public int LoyalActiveDaysWindow { get; set; } = 30;

    /// <summary>How many transitions a user's history keeps. Default: 20.</summary>
    public int HistoryLength { get; set; } = 20;

    public static LifecyclePolicy Default { get; } = new();

    /// <summary>The first reason this policy cannot work, or null.</summary>
    public string? Validate()
    {
        if (NewFor <= TimeSpan.Zero) return "NewFor must be positive.";
        if (AtRiskAfter <= TimeSpan.Zero) return "AtRiskAfter must be positive.";
        if (LapsedAfter <= AtRiskAfter) return "LapsedAfter must be longer than AtRiskAfter.";
        if (LoyalMinEvents < 1) return "LoyalMinEvents must be at least 1.";
        if (LoyalEventWindow <= TimeSpan.Zero || LoyalEventWindow > TimeSpan.FromDays(90)) return "LoyalEventWindow must be between 0 and 90 days.";
        if (LoyalActiveDaysWindow is < 1 or > 120) return "LoyalActiveDaysWindow must be between 1 and 120 days.";
        if (LoyalMinActiveDays < 1 || LoyalMinActiveDays > LoyalActiveDaysWindow) return "LoyalMinActiveDays must be between 1 and LoyalActiveDaysWindow.";
        if (string.IsNullOrWhiteSpace(LoyalEvent)) return "LoyalEvent must be set.";
        return null;
    }
}
