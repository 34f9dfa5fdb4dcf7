using FsCheck.Xunit;
using Orleans.Segments.Domain.Segments;
using Orleans.Segments.Domain.Tests.Segments.Generators;

namespace Orleans.Segments.Domain.Tests.Segments;

public sealed class CompiledRuleProperties
{
    [Property(Arbitrary = [typeof(SegmentArbitraries)], MaxTest = 300)]
    public void CompiledRuleAgreesWithTheInterpreter(RuleCase c)
    {
        var state = c.User.Build();
        var context = c.User.Context(state);

        bool interpreted = RuleInterpreter.Evaluate(c.Rule, context);
        bool compiled = RuleCompiler.Compile(c.Rule)(context);

        Assert.Equal(interpreted, compiled);
    }

    [Property(Arbitrary = [typeof(SegmentArbitraries)], MaxTest = 150)]
    public void ExplanationHoldsExactlyWhenTheRuleDoes(RuleCase c)
    {
        var state = c.User.Build();
        var context = c.User.Context(state);

        var explanation = RuleInterpreter.Explain(c.Rule, context);

        Assert.Equal(RuleInterpreter.Evaluate(c.Rule, context), explanation.Held);
        Assert.Equal(c.Rule.Print(), explanation.Rule);
    }
}
