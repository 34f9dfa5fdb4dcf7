namespace Orleans.Segments.Domain.Profile;

/// <summary>An app's rules for Live Activity pushes.</summary>
public sealed class LiveActivityPolicy
{
    /// <summary>
    /// Priority-10 updates one activity may get per rolling hour; later ones go at priority 5. Apple gives each
    /// activity a budget of immediate updates that it does not publish, and throttles an app that passes it;
    /// default: 12 (one every five minutes), well inside what Apple's guidance calls frequent.
    /// </summary>
    public int HighPriorityPerHour { get; set; } = 12;
}
