using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Orleans.Segments.Campaigns;
using Orleans.Segments.Hosting;

namespace Orleans.Segments.Grains.Tests;

public sealed class TemplateBudgetTests
{
    private readonly FakeTimeProvider time = new();

    private readonly TemplateBudget budget;

    public TemplateBudgetTests()
    {
        var options = new SegmentsOptions();
        options.Templates.AppBudgetPerSecond = TimeSpan.FromMilliseconds(500);
        options.Templates.AppBudgetBurst = TimeSpan.FromSeconds(1);
        budget = new TemplateBudget(new StaticOptions(options), time);
    }

    [Fact]
    public void ARenderingIsChargedTheRealTimeItTookNotAJumpOfTheAppsClockMeanwhile()
    {
        // Why: measured on the app's clock, a rendering during which the clock moved on an hour (a test advancing
        // fake time while a push rendered in the background) was charged the hour, and the app's pushes were
        // suppressed as template_error until it refilled.
        long started = TemplateBudget.Timestamp();
        time.Advance(TimeSpan.FromHours(1));
        budget.Charge("shop", TemplateBudget.Since(started));

        Assert.True(TemplateBudget.Since(started) < TimeSpan.FromMinutes(1));
        Assert.True(budget.MayRender("shop"));
    }

    [Fact]
    public void AnAppThatUsedItsBurstMayNotRenderUntilItRefills()
    {
        Assert.True(budget.MayRender("greedy"));

        budget.Charge("greedy", TimeSpan.FromMilliseconds(1200));

        Assert.False(budget.MayRender("greedy"));
        Assert.True(budget.MayRender("modest"), "another app keeps its own budget");
        time.Advance(TimeSpan.FromMilliseconds(300));
        Assert.False(budget.MayRender("greedy"));
        time.Advance(TimeSpan.FromMilliseconds(200));
        Assert.True(budget.MayRender("greedy"));
    }

    [Fact]
    public void AnIdleAppSavesUpNoMoreThanItsBurst()
    {
        time.Advance(TimeSpan.FromHours(1));

        budget.Charge("idle", TimeSpan.FromMilliseconds(1001));

        Assert.False(budget.MayRender("idle"));
    }

    private sealed class StaticOptions(SegmentsOptions value) : IOptionsMonitor<SegmentsOptions>
    {
        public SegmentsOptions CurrentValue => value;

        public SegmentsOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<SegmentsOptions, string?> listener) => null;
    }
}
