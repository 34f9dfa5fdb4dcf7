using Orleans.Segments.Domain.Events;
using Orleans.Segments.Domain.Segments;

namespace Orleans.Segments.Domain.Tests.Segments;

public sealed class OperatorTests
{
    private readonly TestUser user = new();

    [Fact]
    public void AndBindsTighterThanOr()
    {
        user.Identifies("a", TraitValue.Of(true, user.Now));

        Assert.True(user.Holds("""has_trait("a") or has_trait("b") and has_trait("c")"""));
        Assert.False(user.Holds("""(has_trait("a") or has_trait("b")) and has_trait("c")"""));

        var root = Assert.IsType<OrNode>(RuleParser.Parse("""has_trait("a") or has_trait("b") and has_trait("c")""").Root);
        Assert.IsType<AndNode>(root.Items[1]);
    }

    [Fact]
    public void NotBindsTighterThanAnd()
    {
        user.Does("Application Opened");

        Assert.False(user.Holds("""not has_trait("a") and has_trait("b")"""));
        Assert.True(user.Holds("""not (has_trait("a") and has_trait("b"))"""));
    }

    [Fact]
    public void NotAppliesToTheWholeComparison()
    {
        user.Does("Order Completed");

        Assert.True(user.Holds("""not count("Order Completed", 30d) >= 3"""));
        Assert.IsType<NotNode>(RuleParser.Parse("""not count("Order Completed", 30d) >= 3""").Root);
    }

    [Fact]
    public void ParenthesesGroupAndNest()
    {
        user.Identifies("b", TraitValue.Of(true, user.Now));

        Assert.True(user.Holds("""((has_trait("a") or has_trait("b")) and not (has_trait("c")))"""));
    }

    [Fact]
    public void InListHoldsWhenAnyValueMatches()
    {
        user.Does("Order Completed").Does("Order Completed").Identifies("plan", TraitValue.Of("team", user.Now));

        Assert.True(user.Holds("""stage in ("new", "active")"""));
        Assert.True(user.Holds("""trait("plan") in ("pro", "team")"""));
        Assert.True(user.Holds("""count("Order Completed", 30d) in (1, 2)"""));
        Assert.False(user.Holds("""count("Order Completed", 30d) in (3)"""));
        Assert.True(user.Holds("""not stage in ("lapsed", "at_risk")"""));
    }

    [Fact]
    public void PrintingPutsBackOnlyTheParenthesesThatMatter()
    {
        var parsed = RuleParser.Parse("""((has_trait("a"))) and (has_trait("b") or has_trait("c")) and not (has_push_token or has_trait("d"))""");

        Assert.Equal("""has_trait("a") and (has_trait("b") or has_trait("c")) and not (has_push_token or has_trait("d"))""", parsed.Root!.Print());
    }
}
