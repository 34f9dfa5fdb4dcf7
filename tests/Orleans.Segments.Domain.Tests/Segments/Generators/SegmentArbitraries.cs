using FsCheck;
using FsCheck.Fluent;
using Orleans.Segments.Domain.Segments;

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

    /// <summary>
    /// Segments over every function but the interest ones: a share is the same at every moment in exact
    /// arithmetic, but in floating point <c>interest("x") = 0.2</c> may flip in the last bit as time passes.
    /// </summary>
    public static Arbitrary<SegmentSetCase> SegmentSetCase() => Arb.From(
        from rules in Gen.ListOf(RuleGenerators.Rule(2, f => f.Name is not ("interest" or "top_interest")), 3)
        from user in UserGenerators.Story
        from minutes in Gen.Choose(0, 120 * 24 * 60)
        select new SegmentSetCase(
            rules.Select((rule, i) => new SegmentDefinition(Vocabulary.SegmentIds[i], Vocabulary.SegmentIds[i], rule.Print())).ToArray(),
            user,
            TimeSpan.FromMinutes(minutes)));
}
