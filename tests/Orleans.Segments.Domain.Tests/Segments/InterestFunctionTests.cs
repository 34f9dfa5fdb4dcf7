namespace Orleans.Segments.Domain.Tests.Segments;

public sealed class InterestFunctionTests
{
    private readonly TestUser user = new();

    [Fact]
    public void InterestIsTheCategorysShareOfAllInterest()
    {
        user.Does("Product Viewed", categories: "electronics").Does("Order Completed", categories: "fashion");

        Assert.Equal(5 / 6.0, user.ValueOf("""interest("fashion") > 0""").Number, 12);
        Assert.True(user.Holds("""interest("fashion") >= 0.8"""));
        Assert.True(user.Holds("""interest("electronics") < 0.2"""));
        Assert.True(user.Holds("""interest("books") = 0"""));
    }

    [Fact]
    public void InterestDoesNotChangeWithTimeAlone()
    {
        user.Does("Product Viewed", categories: "electronics").Waits(TimeSpan.FromDays(3)).Does("Product Added", categories: "fashion");
        double before = user.ValueOf("""interest("fashion") > 0""").Number;

        user.Waits(TimeSpan.FromDays(60));

        Assert.Equal(before, user.ValueOf("""interest("fashion") > 0""").Number, 12);
    }

    [Fact]
    public void TopInterestIsTheStrongestCategory()
    {
        user.Does("Product Viewed", categories: "electronics").Does("Order Completed", categories: "fashion");

        Assert.True(user.Holds("""top_interest = "fashion" """));
        Assert.True(user.Holds("""top_interest in ("fashion", "books")"""));
    }

    [Fact]
    public void TopInterestTieGoesToTheFirstNameInOrdinalOrder()
    {
        user.Does("Product Viewed", categories: ["shoes", "bags"]);

        Assert.True(user.Holds("""top_interest = "bags" """));
    }

    [Fact]
    public void UserWithoutInterestsHasNoTopInterest()
    {
        user.Does("Application Opened");

        Assert.False(user.Holds("""top_interest = "fashion" """));
        Assert.False(user.Holds("""top_interest != "fashion" """));
        Assert.True(user.Holds("""interest("fashion") = 0"""));
    }
}
