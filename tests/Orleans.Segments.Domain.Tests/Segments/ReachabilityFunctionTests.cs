namespace Orleans.Segments.Domain.Tests.Segments;

public sealed class ReachabilityFunctionTests
{
    private readonly TestUser user = new();

    [Fact]
    public void HasPushTokenOnceADeviceIsRegistered()
    {
        user.Does("Application Opened");
        Assert.False(user.Holds("has_push_token"));

        user.RegistersDevice();
        Assert.True(user.Holds("has_push_token"));
        Assert.True(user.Holds("has_push_token = true"));
    }

    [Fact]
    public void DeadTokenIsNoPushToken()
    {
        user.RegistersDevice();

        user.State.Devices[0].InvalidatedAt = user.Now;

        Assert.False(user.Holds("has_push_token"));
        Assert.True(user.Holds("not has_push_token"));
    }

    [Fact]
    public void MarketingNeedsConsentTransactionalIsOnByDefault()
    {
        user.Does("Application Opened");

        Assert.False(user.Holds("""subscribed("marketing")"""));
        Assert.True(user.Holds("""subscribed("transactional")"""));

        user.Consents(marketing: true, transactional: false);

        Assert.True(user.Holds("""subscribed("marketing")"""));
        Assert.False(user.Holds("""subscribed("transactional")"""));
    }

    [Fact]
    public void InSegmentAsksWhetherTheUserIsInTheOtherSegment()
    {
        user.Segments.Add("vip");

        Assert.True(user.Holds("""in_segment("vip")"""));
        Assert.False(user.Holds("""in_segment("churned")"""));
    }
}
