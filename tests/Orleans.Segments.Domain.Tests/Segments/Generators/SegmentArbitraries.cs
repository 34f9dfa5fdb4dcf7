using FsCheck;
using FsCheck.Fluent;

namespace Orleans.Segments.Domain.Tests.Segments.Generators;

/// <summary>The arbitraries the segment properties draw from (registered with <c>[Property(Arbitrary = ...)]</c>).</summary>
public static class SegmentArbitraries
{
    /// <summary>How deep generated rules nest: at most 3^3 = 27 conditions, well inside the parser's limits.</summary>
    private const int Depth = 3;

    public static Arbitrary<RuleCase> RuleCase() => Arb.From(
        from rule in RuleGenerators.Rule(Depth)
        from user in UserGenerators.Story
        select new RuleCase(rule, user));

    public static Arbitrary<RuleTextCase> RuleTextCase() => Arb.From(
        from rule in RuleGenerators.Rule(Depth)
        from text in RuleTextGenerators.Text(rule)
        from user in UserGenerators.Story
        select new RuleTextCase(text, user));
}
