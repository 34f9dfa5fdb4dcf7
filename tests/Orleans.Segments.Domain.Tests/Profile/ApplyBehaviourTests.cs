using Microsoft.Extensions.Time.Testing;
using Orleans.Segments.Domain.Events;
using Orleans.Segments.Domain.Profile;
using static Orleans.Segments.Domain.Tests.Profile.UserEvents;

namespace Orleans.Segments.Domain.Tests.Profile;

public sealed class ApplyBehaviourTests
{
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2025, 3, 1, 9, 30, 0, TimeSpan.Zero));

    private readonly UserProfileState state = new();

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    [Fact]
    public void ProductViewedWithCategoriesBuildsInterests()
    {
        var policy = UserModelPolicy.Default;

        Apply(Track("Product Viewed", Now) with { Categories = ["shoes", "bags"] });
        Apply(Track("Order Completed", Now) with { Categories = ["shoes"] });

        Assert.Equal(6, state.Interests.ScoreOf("shoes", Now, policy.Interests), 9);
        Assert.Equal(1, state.Interests.ScoreOf("bags", Now, policy.Interests), 9);
    }

    [Fact]
    public void EventWithoutAWeightBuildsNoInterest()
    {
        Apply(Track("App Opened", Now) with { Categories = ["shoes"] });

        Assert.Empty(state.Interests.Scores);
    }

    [Fact]
    public void CountsTracksPagesAndScreensByName()
    {
        Apply(Track("Order Completed", Now) with { Numbers = new() { ["revenue"] = 30 } });
        Apply(Of(EventKind.Page, Now) with { Name = "Home" });
        Apply(Of(EventKind.Screen, Now) with { Name = "Settings" });
        Apply(Of(EventKind.Identify, Now));

        Assert.Equal(["Order Completed", "Page Viewed", "Screen Viewed"], state.Counters.Keys.Order());
        Assert.Equal(30, state.Counters["Order Completed"].SumWithin("revenue", TimeSpan.FromDays(1), Now));
        Assert.Equal(4, state.EventsApplied);
    }

    [Fact]
    public void EventNamesBeyondTheLimitShareTheOtherCounter()
    {
        var policy = new UserModelPolicy { MaxEventNames = 2 };
        foreach (string name in new[] { "A", "B", "C", "D", "A" })
        {
            ProfileUpdater.Apply(state, [Track(name, Now)], Now, policy);
            time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(["(other)", "A", "B"], state.Counters.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(2, state.Counters[ProfileUpdater.OtherEvents].Total);
        Assert.Equal(2, state.Counters["A"].Total);
    }

    [Fact]
    public void AliasAndGroupDoNotCountAsActivity()
    {
        Apply(Of(EventKind.Alias, Now) with { AnonymousId = "anon-1" });
        Apply(Of(EventKind.Group, Now));

        Assert.Null(state.Activity.LastSeen);
        Assert.Null(state.Lifecycle.Stage);
        Assert.Equal(["anon-1"], state.AnonymousIds);
        Assert.Equal(Now, state.CreatedAt);
    }

    [Fact]
    public void KeepsTheEightMostRecentAnonymousIds()
    {
        for (int i = 0; i < 10; i++)
        {
            Apply(Track("App Opened", Now) with { AnonymousId = $"anon-{i}" });
            time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(Enumerable.Range(2, 8).Select(i => $"anon-{i}"), state.AnonymousIds);
    }

    private void Apply(UserEvent e) => ProfileUpdater.Apply(state, [e], Now, UserModelPolicy.Default);
}
