using Orleans.Segments.Domain.Events;

namespace Orleans.Segments.Domain.Tests.Segments;

public sealed class TraitFunctionTests
{
    private readonly TestUser user = new();

    [Fact]
    public void StringTraitComparesForEquality()
    {
        user.Identifies("plan", TraitValue.Of("pro", user.Now));

        Assert.True(user.Holds("""trait("plan") = "pro" """));
        Assert.True(user.Holds("""trait("plan") != "free" """));
        Assert.True(user.Holds("""trait("plan") in ("pro", "team")"""));
    }

    [Fact]
    public void NumberTraitComparesInOrder()
    {
        user.Identifies("age", TraitValue.Of(18, user.Now));

        Assert.True(user.Holds("""trait("age") >= 18"""));
        Assert.False(user.Holds("""trait("age") > 18"""));
        Assert.True(user.Holds("""trait("age") = 18"""));
    }

    [Fact]
    public void BooleanTraitComparesWithTrueAndFalse()
    {
        user.Identifies("vip", TraitValue.Of(true, user.Now));

        Assert.True(user.Holds("""trait("vip") = true"""));
        Assert.False(user.Holds("""trait("vip") = false"""));
    }

    [Fact]
    public void MissingTraitMakesEveryComparisonFalse()
    {
        Assert.False(user.Holds("""trait("plan") = "pro" """));
        Assert.False(user.Holds("""trait("plan") != "pro" """));
        Assert.False(user.Holds("""trait("age") < 18"""));
    }

    [Fact]
    public void TraitOfAnotherTypeIsNeverEqualButAlwaysDifferent()
    {
        user.Identifies("plan", TraitValue.Of("pro", user.Now));

        Assert.False(user.Holds("""trait("plan") = 3"""));
        Assert.True(user.Holds("""trait("plan") != 3"""));
        Assert.False(user.Holds("""trait("plan") > 3"""));
        Assert.True(user.Holds("""trait("plan") != true"""));
    }

    [Fact]
    public void HasTraitIsTrueOnceSetAndFalseAfterNull()
    {
        Assert.False(user.Holds("""has_trait("email")"""));

        user.Identifies("email", TraitValue.Of("a@example.com", user.Now));
        Assert.True(user.Holds("""has_trait("email")"""));

        user.Waits(TimeSpan.FromMinutes(1)).Identifies("email", TraitValue.Null(user.Now));
        Assert.False(user.Holds("""has_trait("email")"""));
    }

    [Fact]
    public void JsonTraitIsSetButComparesWithNothing()
    {
        user.Identifies("address", TraitValue.OfJson("""{"city":"Berlin"}""", user.Now));

        Assert.True(user.Holds("""has_trait("address")"""));
        Assert.False(user.Holds("""trait("address") = "Berlin" """));
        Assert.False(user.Holds("""trait("address") != "Berlin" """));
    }
}
