using Orleans.Segments.Domain.Segments;

namespace Orleans.Segments.Domain.Tests.Segments;

public sealed class ArgumentRangeTests
{
    [Theory]
    [InlineData("""count("Order Completed", 0d) >= 1""", 26, "count")]
    [InlineData("""count("Order Completed", -1d) >= 1""", 26, "count")]
    [InlineData("""count("Order Completed", 91d) >= 1""", 26, "count")]
    [InlineData("""sum("Order Completed", "revenue", 13w) > 100""", 35, "sum")]
    [InlineData("""sum("Order Completed", "revenue", 2161h) > 100""", 35, "sum")]
    public void WindowMustBeMoreThanZeroAndAtMostNinetyDays(string rule, int column, string function)
    {
        var error = Rejected.Rule(rule);

        Assert.Equal(new RuleError(1, column, $"the window of {function} must be more than 0 and at most 90d."), error);
    }

    [Theory]
    [InlineData("""count("Order Completed", 90d) >= 1""")]
    [InlineData("""sum("Order Completed", "revenue", 2160h) > 100""")]
    [InlineData("""count("Order Completed", 1s) >= 1""")]
    public void WindowOfUpToNinetyDaysIsAccepted(string rule)
    {
        Assert.True(RuleParser.Parse(rule).IsValid);
    }

    [Theory]
    [InlineData("near(91, 13.405, 2km)")]
    [InlineData("near(-90.5, 13.405, 2km)")]
    [InlineData("near(52.52, 181, 2km)")]
    [InlineData("near(52.52, -180.001, 2km)")]
    public void NearNeedsAValidLatitudeAndLongitude(string rule)
    {
        Assert.Equal(new RuleError(1, 6, "near needs a latitude within ±90 and a longitude within ±180."), Rejected.Rule(rule));
    }

    [Theory]
    [InlineData("near(52.52, 13.405, 0m)")]
    [InlineData("near(52.52, 13.405, -2km)")]
    [InlineData("near(52.52, 13.405, 20001km)")]
    public void NearNeedsARadiusAboveZeroAndAtMostHalfwayRoundTheEarth(string rule)
    {
        Assert.Equal(new RuleError(1, 21, "the distance of near must be more than 0 and at most 20000km."), Rejected.Rule(rule));
    }

    [Fact]
    public void NearAcceptsTheCornersOfTheMap()
    {
        Assert.True(RuleParser.Parse("near(-90, 180, 20000km) or near(90, -180, 1m)").IsValid);
    }

    [Fact]
    public void SubscribedKnowsOnlyMarketingAndTransactional()
    {
        Assert.Equal(new RuleError(1, 12, "subscribed takes \"marketing\" or \"transactional\"."), Rejected.Rule("""subscribed("spam")"""));
    }

    [Theory]
    [InlineData("""trait("") = "x" """)]
    [InlineData("""has_trait("")""")]
    public void NamesMustNotBeEmpty(string rule)
    {
        Assert.EndsWith("must be 1 to 256 characters.", Rejected.Rule(rule).Message);
    }

    [Fact]
    public void NamesMustNotBeLongerThan256Characters()
    {
        Assert.True(RuleParser.Parse($"""has_trait("{new string('x', 256)}")""").IsValid);
        Assert.Equal(
            new RuleError(1, 1, "the names given to has_trait must be 1 to 256 characters."),
            Rejected.Rule($"""has_trait("{new string('x', 257)}")"""));
    }
}
