using Orleans.Segments.Domain.Lifecycle;

namespace Orleans.Segments.Domain.Tests.Lifecycle;

public sealed class LifecyclePolicyTests
{
    [Fact]
    public void DefaultPolicyIsValid()
    {
        Assert.Null(new LifecyclePolicy().Validate());
    }

    [Theory]
    [InlineData("zero NewFor", "NewFor")]
    [InlineData("negative AtRiskAfter", "AtRiskAfter")]
    [InlineData("LapsedAfter equal to AtRiskAfter", "LapsedAfter")]
    [InlineData("zero LoyalMinEvents", "LoyalMinEvents")]
    [InlineData("LoyalEventWindow beyond 90 days", "LoyalEventWindow")]
    [InlineData("zero LoyalEventWindow", "LoyalEventWindow")]
    [InlineData("LoyalActiveDaysWindow beyond 120 days", "LoyalActiveDaysWindow")]
    [InlineData("LoyalMinActiveDays beyond the window", "LoyalMinActiveDays")]
    [InlineData("blank LoyalEvent", "LoyalEvent")]
    public void RejectsBadThresholds(string broken, string field)
    {
        var policy = Broken(broken);

        string? reason = policy.Validate();

        Assert.NotNull(reason);
        Assert.StartsWith(field + " ", reason);
    }

    private static LifecyclePolicy Broken(string broken) => broken switch
    {
        "zero NewFor" => new() { NewFor = TimeSpan.Zero },
        "negative AtRiskAfter" => new() { AtRiskAfter = TimeSpan.FromDays(-1) },
        "LapsedAfter equal to AtRiskAfter" => new() { AtRiskAfter = TimeSpan.FromDays(7), LapsedAfter = TimeSpan.FromDays(7) },
        "zero LoyalMinEvents" => new() { LoyalMinEvents = 0 },
        "LoyalEventWindow beyond 90 days" => new() { LoyalEventWindow = TimeSpan.FromDays(91) },
        "zero LoyalEventWindow" => new() { LoyalEventWindow = TimeSpan.Zero },
        "LoyalActiveDaysWindow beyond 120 days" => new() { LoyalActiveDaysWindow = 121 },
        "LoyalMinActiveDays beyond the window" => new() { LoyalActiveDaysWindow = 10, LoyalMinActiveDays = 11 },
        "blank LoyalEvent" => new() { LoyalEvent = " " },
        _ => throw new ArgumentOutOfRangeException(nameof(broken)),
    };
}
