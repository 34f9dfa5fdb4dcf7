namespace Orleans.Segments.Domain.Segments;

/// <summary>A compiled segment of a <see cref="SegmentSet"/>.</summary>
public sealed record CompiledSegment(
    SegmentDefinition Definition,
    RuleNode Rule,
    Func<RuleContext, bool> Evaluate,
    bool TimeDependent,
    IReadOnlyList<string> DependsOn)
{
    public string Id => Definition.Id;
}
