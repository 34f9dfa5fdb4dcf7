namespace Orleans.Segments.Domain.Tests.Segments;

public sealed class SinceFunctionTests
{
    private readonly TestUser user = new();

    [Fact]
    public void EventNeverDoneWasInfinitelyLongAgo()
    {
        user.Does("Order Completed");

        Assert.True(user.Holds("""since_last("Application Opened") > 14d"""));
        Assert.False(user.Holds("""since_last("Application Opened") < 14d"""));
        Assert.Equal(double.PositiveInfinity, user.ValueOf("""since_last("Application Opened") > 14d""").Number);
    }

    [Fact]
    public void SinceLastPassesItsThresholdAtTheExactMoment()
    {
        user.Does("Application Opened").Waits(TimeSpan.FromDays(14));

        Assert.False(user.Holds("""since_last("Application Opened") > 14d"""));
        Assert.True(user.Holds("""since_last("Application Opened") >= 14d"""));

        user.Waits(TimeSpan.FromTicks(1));

        Assert.True(user.Holds("""since_last("Application Opened") > 14d"""));
    }

    [Fact]
    public void SinceLastStartsAgainWithEveryOccurrence()
    {
        user.Does("Application Opened").Waits(TimeSpan.FromDays(20)).Does("Application Opened").Waits(TimeSpan.FromDays(2));

        Assert.True(user.Holds("""since_last("Application Opened") = 2d"""));
    }

    [Fact]
    public void SinceFirstSeenMeasuresFromTheFirstEvent()
    {
        user.Does("Application Opened").Waits(TimeSpan.FromDays(3)).Does("Application Opened").Waits(TimeSpan.FromDays(3));

        Assert.True(user.Holds("since_first_seen < 7d"));
        Assert.True(user.Holds("since_first_seen = 6d"));

        user.Waits(TimeSpan.FromDays(1));

        Assert.False(user.Holds("since_first_seen < 7d"));
    }

    [Fact]
    public void SinceLastSeenMeasuresFromTheLatestEvent()
    {
        user.Does("Application Opened").Waits(TimeSpan.FromDays(3)).Does("Product Viewed").Waits(TimeSpan.FromHours(12));

        Assert.True(user.Holds("since_last_seen = 12h"));
    }

    [Fact]
    public void UserNeverSeenWasFirstAndLastSeenInfinitelyLongAgo()
    {
        Assert.True(user.Holds("since_first_seen > 1000d and since_last_seen > 1000d"));
    }
}
