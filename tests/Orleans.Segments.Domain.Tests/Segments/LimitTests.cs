using Orleans.Segments.Domain.Segments;

namespace Orleans.Segments.Domain.Tests.Segments;

public sealed class LimitTests
{
    [Fact]
    public void RuleOfFourThousandCharactersIsAccepted()
    {
        Assert.True(RuleParser.Parse("has_push_token".PadRight(RuleParser.MaxLength)).IsValid);
    }

    [Fact]
    public void RuleLongerThanFourThousandCharactersIsRejected()
    {
        var error = Rejected.Rule("has_push_token".PadRight(RuleParser.MaxLength + 1));

        Assert.Equal(new RuleError(1, 1, "the rule is longer than 4000 characters."), error);
    }

    [Fact]
    public void NestingOfThirtyTwoLevelsIsAccepted()
    {
        Assert.True(RuleParser.Parse(Parenthesized(31)).IsValid);
        Assert.True(RuleParser.Parse(Negated(31)).IsValid);
    }

    [Fact]
    public void NestingDeeperThanThirtyTwoLevelsIsRejected()
    {
        Assert.Equal(new RuleError(1, 33, "the rule nests deeper than 32 levels."), Rejected.Rule(Parenthesized(32)));
        Assert.Equal(new RuleError(1, 129, "the rule nests deeper than 32 levels."), Rejected.Rule(Negated(32)));
    }

    [Fact]
    public void SixtyFourConditionsAreAccepted()
    {
        Assert.True(RuleParser.Parse(Conditions(64)).IsValid);
    }

    [Fact]
    public void SixtyFifthConditionIsRejectedWhereItStands()
    {
        var error = Rejected.Rule(Conditions(65));

        Assert.Equal(new RuleError(1, 64 * "has_push_token or ".Length + 1, "the rule has more than 64 conditions."), error);
    }

    [Fact]
    public void ConditionsAreCountedAcrossTheWholeTreeAndLines()
    {
        string rule = string.Join(" and\n", Enumerable.Repeat("(" + Conditions(13) + ")", 5));

        var error = Rejected.Rule(rule);

        Assert.Equal(5, error.Line);
        Assert.Equal("the rule has more than 64 conditions.", error.Message);
    }

    private static string Parenthesized(int levels) => new string('(', levels) + "has_push_token" + new string(')', levels);

    private static string Negated(int times) => string.Concat(Enumerable.Repeat("not ", times)) + "has_push_token";

    private static string Conditions(int count) => string.Join(" or ", Enumerable.Repeat("has_push_token", count));
}
