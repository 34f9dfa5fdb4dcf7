using Orleans.Segments.Domain.Lifecycle;

namespace Orleans.Segments.Segments;

/// <summary>
/// The lifecycle stages as pseudo-segments of the membership index (<c>stage:new</c>, <c>stage:at_risk</c>…): their
/// ids cannot clash with a segment's (':' is not allowed in ids), and they are not in any catalog.
/// </summary>
public static class StageIndex
{
    public static string Id(LifecycleStage stage) => "stage:" + stage.ToWire();

    public static IEnumerable<LifecycleStage> Stages => [LifecycleStage.New, LifecycleStage.Active, LifecycleStage.Loyal, LifecycleStage.AtRisk, LifecycleStage.Lapsed];
}
