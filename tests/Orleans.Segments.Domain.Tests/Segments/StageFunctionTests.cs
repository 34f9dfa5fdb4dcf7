namespace Orleans.Segments.Domain.Tests.Segments;

public sealed class StageFunctionTests
{
    private readonly TestUser user = new();

    [Fact]
    public void UserSeenForTheFirstTimeIsNew()
    {
        user.Does("Application Opened");

        Assert.True(user.Holds("""stage = "new" """));
        Assert.True(user.Holds("""stage in ("new", "active")"""));
        Assert.True(user.Holds("""stage != "loyal" """));
        Assert.False(user.Holds("""stage = "loyal" """));
    }

    [Fact]
    public void ThreeOrdersMakeAUserLoyal()
    {
        for (int i = 0; i < 3; i++) user.Does("Order Completed").Waits(TimeSpan.FromHours(1));

        Assert.True(user.Holds("""stage = "loyal" """));
    }

    [Fact]
    public void SilentUserIsAtRiskAfterSevenDaysWithNoEventNeeded()
    {
        user.Does("Application Opened").Waits(TimeSpan.FromDays(7));

        Assert.True(user.Holds("""stage = "at_risk" """));
    }

    [Fact]
    public void UserNeverSeenHasNoStageSoNoComparisonHolds()
    {
        Assert.False(user.Holds("""stage = "new" """));
        Assert.False(user.Holds("""stage != "new" """));
    }

    [Fact]
    public void TimeInStageCountsFromTheStagesStart()
    {
        user.Does("Application Opened").Waits(TimeSpan.FromDays(3));

        Assert.True(user.Holds("time_in_stage >= 3d"));
        Assert.False(user.Holds("time_in_stage > 3d"));

        user.Waits(TimeSpan.FromTicks(1));

        Assert.True(user.Holds("time_in_stage > 3d"));
    }

    [Fact]
    public void TimeInStageStartsAgainWhenTheStageChangesByTimeAlone()
    {
        user.Does("Application Opened").Waits(TimeSpan.FromDays(8));

        Assert.True(user.Holds("""stage = "at_risk" and time_in_stage = 1d"""));
    }
}
