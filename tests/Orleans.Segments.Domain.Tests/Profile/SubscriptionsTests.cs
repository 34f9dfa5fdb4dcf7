using Microsoft.Extensions.Time.Testing;
using Orleans.Segments.Domain.Profile;

namespace Orleans.Segments.Domain.Tests.Profile;

public sealed class SubscriptionsTests
{
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2025, 3, 1, 9, 30, 0, TimeSpan.Zero));

    private readonly UserProfileState state = new();

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    [Fact]
    public void NewProfileIsSubscribedToTransactionalOnly()
    {
        Assert.False(state.Subscriptions.Marketing);
        Assert.True(state.Subscriptions.Transactional);
    }

    [Fact]
    public void SetsMarketingAndLeavesTransactionalAsItIs()
    {
        ProfileUpdater.SetSubscriptions(state, marketing: true, transactional: null, Now);

        Assert.True(state.Subscriptions.Marketing);
        Assert.Equal(Now, state.Subscriptions.MarketingChangedAt);
        Assert.True(state.Subscriptions.Transactional);
        Assert.Null(state.Subscriptions.TransactionalChangedAt);
        Assert.Equal(Now, state.CreatedAt);
    }

    [Fact]
    public void SettingTheSameConsentAgainKeepsWhenItChanged()
    {
        var opted = Now;
        ProfileUpdater.SetSubscriptions(state, marketing: true, transactional: true, Now);
        time.Advance(TimeSpan.FromDays(1));

        ProfileUpdater.SetSubscriptions(state, marketing: true, transactional: false, Now);

        Assert.Equal(opted, state.Subscriptions.MarketingChangedAt);
        Assert.False(state.Subscriptions.Transactional);
        Assert.Equal(Now, state.Subscriptions.TransactionalChangedAt);
    }
}
