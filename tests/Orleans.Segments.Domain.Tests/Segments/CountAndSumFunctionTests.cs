namespace Orleans.Segments.Domain.Tests.Segments;

public sealed class CountAndSumFunctionTests
{
    private readonly TestUser user = new();

    [Fact]
    public void CountsOccurrencesWithinTheWindow()
    {
        for (int i = 0; i < 3; i++) user.Does("Order Completed").Waits(TimeSpan.FromDays(1));

        Assert.True(user.Holds("""count("Order Completed", 30d) >= 3"""));
        Assert.True(user.Holds("""count("Order Completed", 36h) = 1"""));
        Assert.True(user.Holds("""count("Order Completed", 30d) in (2, 3)"""));
    }

    [Fact]
    public void OccurrenceLeavesTheWindowWhenTheWindowHasPassedSinceIt()
    {
        user.Does("Order Completed").Waits(TimeSpan.FromDays(1)).Does("Order Completed").Waits(TimeSpan.FromDays(29));

        Assert.True(user.Holds("""count("Order Completed", 30d) = 1"""));
    }

    [Fact]
    public void EventNeverDoneCountsZero()
    {
        user.Does("Application Opened");

        Assert.True(user.Holds("""count("Order Completed", 30d) = 0"""));
        Assert.True(user.Holds("""sum("Order Completed", "revenue", 30d) = 0"""));
    }

    [Fact]
    public void SumsANumericPropertyOverTheWindow()
    {
        user.Does("Order Completed", new() { ["revenue"] = 30 }).Waits(TimeSpan.FromDays(2));
        user.Does("Order Completed", new() { ["revenue"] = 45.5 });

        Assert.True(user.Holds("""sum("Order Completed", "revenue", 90d) = 75.5"""));
        Assert.True(user.Holds("""sum("Order Completed", "revenue", 90d) > 75"""));
        Assert.True(user.Holds("""sum("Order Completed", "items", 90d) = 0"""));
    }

    [Fact]
    public void SumCountsTheWindowsFirstUtcDayWhole()
    {
        // 09:30 on 1 March; a day and three hours later the window (1d) starts at 12:30 on 1 March.
        user.Does("Order Completed", new() { ["revenue"] = 10 }).Waits(TimeSpan.FromHours(27));

        Assert.True(user.Holds("""sum("Order Completed", "revenue", 1d) = 10"""));
        Assert.True(user.Holds("""count("Order Completed", 1d) = 0"""));
    }

    [Fact]
    public void BeyondSixteenOccurrencesTheWindowsFirstDayCountsWhole()
    {
        user.Waits(TimeSpan.FromHours(15)); // 00:30 on 2 March
        for (int i = 0; i < 20; i++) user.Waits(TimeSpan.FromHours(1)).Does("Order Completed");

        Assert.True(user.Holds("""count("Order Completed", 10h) = 10"""));
        Assert.True(user.Holds("""count("Order Completed", 18h) = 20"""));
    }
}
