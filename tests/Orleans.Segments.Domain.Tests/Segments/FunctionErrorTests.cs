using Orleans.Segments.Domain.Segments;

namespace Orleans.Segments.Domain.Tests.Segments;

public sealed class FunctionErrorTests
{
    [Fact]
    public void UnknownFunctionIsNamedWithTheKnownOnes()
    {
        var error = Rejected.Rule("has_push_token and\n  visits(\"Home\") > 3");

        Assert.Equal((2, 3), (error.Line, error.Column));
        Assert.StartsWith("unknown function 'visits'; known: stage, time_in_stage, trait,", error.Message);
        Assert.All(RuleFunctions.All.Keys, name => Assert.Contains(name, error.Message));
    }

    [Theory]
    [InlineData("""count("Order Completed") >= 3""", 1, """count takes 2 argument(s): count("Order Completed", 30d): occurrences in the window.""")]
    [InlineData("""has_trait()""", 1, """has_trait takes 1 argument(s): has_trait("email"): the trait is set.""")]
    [InlineData("""stage("x") = "new" """, 7, "stage takes 0 argument(s): the lifecycle stage: new, active, loyal, at_risk, lapsed.")]
    [InlineData("""subscribed("marketing", "push")""", 25, """subscribed takes 1 argument(s): subscribed("marketing"): the user consents to that category.""")]
    public void WrongNumberOfArgumentsIsRejected(string rule, int column, string message)
    {
        Assert.Equal(new RuleError(1, column, message), Rejected.Rule(rule));
    }

    [Theory]
    [InlineData("""count(30d, "Order Completed") >= 1""", 7, """argument 1 of count must be a string: count("Order Completed", 30d): occurrences in the window.""")]
    [InlineData("""count("Order Completed", 3) >= 1""", 26, """argument 2 of count must be a duration (30m, 12h, 30d, 2w): count("Order Completed", 30d): occurrences in the window.""")]
    [InlineData("""since_last(3) > 1d""", 12, """argument 1 of since_last must be a string: since_last("Application Opened"): time since the event (never = infinitely long).""")]
    [InlineData("""near(52.52, 13.405, 2)""", 21, "argument 3 of near must be a distance (500m, 2km): near(52.52, 13.405, 2km): the last location is within the distance.")]
    [InlineData("""near(52.52, 13.405, 2h)""", 21, "argument 3 of near must be a distance (500m, 2km): near(52.52, 13.405, 2km): the last location is within the distance.")]
    [InlineData("""near("52.52", 13.405, 2km)""", 6, "argument 1 of near must be a number: near(52.52, 13.405, 2km): the last location is within the distance.")]
    public void ArgumentOfTheWrongTypeIsRejected(string rule, int column, string message)
    {
        Assert.Equal(new RuleError(1, column, message), Rejected.Rule(rule));
    }

    [Theory]
    [InlineData("""stage >= 3""", 10, "stage is a string and cannot be compared with a number.")]
    [InlineData("""count("Order Completed", 30d) >= "3" """, 34, "count is a number and cannot be compared with a string.")]
    [InlineData("""since_last("Application Opened") > 14""", 36, "since_last is a duration (30m, 12h, 30d, 2w) and cannot be compared with a number.")]
    [InlineData("""has_push_token = 1""", 18, "has_push_token is a true/false and cannot be compared with a number.")]
    [InlineData("""trait("age") = 3d""", 16, "trait is a string, number or true/false and cannot be compared with a duration (30m, 12h, 30d, 2w).")]
    [InlineData("""count("Order Completed", 30d) in (1, "2")""", 38, "count is a number and cannot be compared with a string.")]
    public void ValueOfTheWrongTypeIsRejected(string rule, int column, string message)
    {
        Assert.Equal(new RuleError(1, column, message), Rejected.Rule(rule));
    }

    [Theory]
    [InlineData("""stage = "vip" """, 9, "vip")]
    [InlineData("""stage in ("new", "gold")""", 18, "gold")]
    [InlineData("""stage = "Loyal" """, 9, "Loyal")]
    public void StageMustBeOneOfTheStages(string rule, int column, string stage)
    {
        var error = Rejected.Rule(rule);

        Assert.Equal(new RuleError(1, column, $"'{stage}' is not a stage; stages are new, active, loyal, at_risk, lapsed."), error);
    }

    [Theory]
    [InlineData("""trait("plan") > "a" """, 15, "strings")]
    [InlineData("""stage <= "new" """, 7, "strings")]
    [InlineData("""trait("vip") >= true""", 14, "conditions")]
    public void OrderedComparisonNeedsNumbersOrDurations(string rule, int column, string kind)
    {
        var error = Rejected.Rule(rule);

        Assert.Equal(column, error.Column);
        Assert.EndsWith($"compares numbers, durations and versions; use = or != with {kind}.", error.Message);
    }
}
