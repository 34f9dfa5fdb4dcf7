using Microsoft.Extensions.Time.Testing;
using Orleans.Segments.Domain.Profile;
using static Orleans.Segments.Domain.Tests.Profile.UserEvents;

namespace Orleans.Segments.Domain.Tests.Profile;

public sealed class ApplyDeduplicationTests
{
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2025, 3, 1, 9, 30, 0, TimeSpan.Zero));

    private readonly UserProfileState state = new();

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    [Fact]
    public void RetriedMessageIsAppliedOnce()
    {
        var order = Track("Order Completed", Now, messageId: "m-1");

        var first = ProfileUpdater.Apply(state, [order], Now, UserModelPolicy.Default);
        time.Advance(TimeSpan.FromMinutes(5));
        var retry = ProfileUpdater.Apply(state, [order], Now, UserModelPolicy.Default);

        Assert.Equal((1, 0), (first.Applied, first.Duplicates));
        Assert.Equal((0, 1), (retry.Applied, retry.Duplicates));
        Assert.Empty(retry.Transitions);
        Assert.Equal(1, state.Counters["Order Completed"].Total);
        Assert.Equal(1, state.EventsApplied);
    }

    [Fact]
    public void DuplicateWithinOneBatchIsAppliedOnce()
    {
        var order = Track("Order Completed", Now, messageId: "m-1");

        var result = ProfileUpdater.Apply(state, [order, order with { Name = "Something Else" }], Now, UserModelPolicy.Default);

        Assert.Equal((1, 1), (result.Applied, result.Duplicates));
        Assert.False(state.Counters.ContainsKey("Something Else"));
    }
}
