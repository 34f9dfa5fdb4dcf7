namespace Orleans.Segments.Domain.Lifecycle;

/// <summary>Where a user stands in the app's lifecycle.</summary>
public enum LifecycleStage : byte
{
    /// <summary>First seen less than <see cref="LifecyclePolicy.NewFor"/> ago.</summary>
    New = 0,
    /// <summary>Seen within <see cref="LifecyclePolicy.AtRiskAfter"/>.</summary>
    Active = 1,
    /// <summary>Active and buying or returning often.</summary>
    Loyal = 2,
    /// <summary>Silent for between <see cref="LifecyclePolicy.AtRiskAfter"/> and <see cref="LifecyclePolicy.LapsedAfter"/>.</summary>
    AtRisk = 3,
    /// <summary>Silent for <see cref="LifecyclePolicy.LapsedAfter"/> or longer.</summary>
    Lapsed = 4,
}

public static class LifecycleStageNames
{
    public static string ToWire(this LifecycleStage stage) => stage switch
    {
        LifecycleStage.New => "new",
        LifecycleStage.Active => "active",
        LifecycleStage.Loyal => "loyal",
        LifecycleStage.AtRisk => "at_risk",
        LifecycleStage.Lapsed => "lapsed",
        _ => throw new ArgumentOutOfRangeException(nameof(stage)),
    };

    public static bool TryParse(string text, out LifecycleStage stage)
    {
        foreach (var candidate in Enum.GetValues<LifecycleStage>())
        {
            if (candidate.ToWire() == text)
            {
                stage = candidate;
                return true;
            }
        }

        stage = default;
        return false;
    }
}
