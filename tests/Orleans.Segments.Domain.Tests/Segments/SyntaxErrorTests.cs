using Orleans.Segments.Domain.Segments;

namespace Orleans.Segments.Domain.Tests.Segments;

public sealed class SyntaxErrorTests
{
    [Theory]
    [InlineData("""count("Order Completed", 30d) >=""", 33, "expected a number value, found the end of the rule.")]
    [InlineData("""count("Order Completed", 30d)""", 30, "expected a comparison after count (a number), found the end of the rule.")]
    [InlineData("""stage = "loyal" and""", 20, """expected a condition such as stage = "loyal" or count("Order Completed", 30d) >= 3, found the end of the rule.""")]
    [InlineData("""(stage = "loyal" """, 18, "expected ')' to close the '(' at column 1, found the end of the rule.")]
    [InlineData("""stage = "loyal" "vip" """, 17, """expected 'and', 'or' or the end of the rule, found the string "vip".""")]
    [InlineData("""has_push_token)""", 15, "expected 'and', 'or' or the end of the rule, found ')'.")]
    [InlineData("""stage = and has_push_token""", 9, "expected a string value, found 'and'.")]
    [InlineData("""stage in "new" """, 10, """expected '(' after 'in', found the string "new".""")]
    [InlineData("""stage in ("new" "active")""", 17, """expected ',' or ')' in the list after 'in', found the string "active".""")]
    [InlineData("""count("Order Completed" 30d) >= 3""", 25, "expected ',' or ')' in the arguments of count, found '30d'.")]
    [InlineData("""stage = "loyal" & has_push_token""", 17, "unexpected character '&'.")]
    [InlineData("""!has_push_token""", 1, "expected '!=' ('!' alone is not an operator; use 'not').")]
    [InlineData("""count("Order Completed", 30d) >= 1.2.3""", 34, "'1.2.3' is not a number.")]
    public void SyntaxErrorSaysWhereAndWhatWasExpected(string rule, int column, string message)
    {
        Assert.Equal(new RuleError(1, column, message), Rejected.Rule(rule));
    }

    [Fact]
    public void ErrorOnALaterLineCountsColumnsFromThatLinesStart()
    {
        var error = Rejected.Rule("stage = \"loyal\"\n  and count(\"Order Completed\" 30d) >= 3");

        Assert.Equal(new RuleError(2, 31, "expected ',' or ')' in the arguments of count, found '30d'."), error);
    }

    [Fact]
    public void WindowsLineEndsCountAsOneLineBreak()
    {
        var error = Rejected.Rule("has_push_token\r\nand\r\n  stage >");

        Assert.Equal(new RuleError(3, 10, "expected a string value, found the end of the rule."), error);
    }

    [Fact]
    public void UnclosedParenthesisNamesTheColumnItOpenedAt()
    {
        var error = Rejected.Rule("has_push_token and\n   (stage = \"new\" or has_trait(\"x\")");

        Assert.Equal(2, error.Line);
        Assert.Equal(36, error.Column);
        Assert.Equal("expected ')' to close the '(' at column 4, found the end of the rule.", error.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n\t ")]
    [InlineData(null)]
    public void EmptyRuleIsRejected(string? rule)
    {
        Assert.Equal(new RuleError(1, 1, "the rule is empty."), Rejected.Rule(rule));
    }

    [Fact]
    public void UnterminatedStringPointsAtItsOpeningQuote()
    {
        Assert.Equal(new RuleError(1, 7, "unterminated string: expected a closing '\"'."), Rejected.Rule("trait(\"plan) = 1"));
    }

    [Fact]
    public void StringCannotRunOntoTheNextLine()
    {
        var error = Rejected.Rule("has_push_token and\ntrait(\"plan\n\") = 1");

        Assert.Equal(new RuleError(2, 7, "unterminated string: a string ends with '\"' on the same line."), error);
    }

    [Theory]
    [InlineData("""since_last("Application Opened") > 3y""", 37, "y")]
    [InlineData("""count("Order Completed", 30days) >= 1""", 28, "days")]
    [InlineData("""near(52.52, 13.405, 2mi)""", 22, "mi")]
    public void UnknownUnitIsNamed(string rule, int column, string unit)
    {
        var error = Rejected.Rule(rule);

        Assert.Equal(new RuleError(1, column, $"unknown unit '{unit}': durations use s, m, h, d, w and distances m, km."), error);
    }

    [Fact]
    public void DurationTooLongForTheClockIsAnError()
    {
        var error = Rejected.Rule("""since_last("Application Opened") > 99999999999999999999d""");

        Assert.Equal(new RuleError(1, 36, "'99999999999999999999d' is too long a duration."), error);
    }
}
