using Microsoft.Extensions.Time.Testing;
using Orleans.Segments.Domain.Behaviour;

namespace Orleans.Segments.Domain.Tests.Behaviour;

public sealed class EventCounterTests
{
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2025, 3, 1, 9, 30, 0, TimeSpan.Zero));

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    [Fact]
    public void CountsOccurrencesWithinTheWindowExactly()
    {
        var counter = new EventCounter();
        var start = Now;
        counter.Add(start, null, Now);
        time.Advance(TimeSpan.FromDays(10));
        counter.Add(Now, null, Now);
        time.Advance(TimeSpan.FromDays(10));
        counter.Add(Now, null, Now);

        Assert.Equal(3, counter.CountWithin(TimeSpan.FromDays(30), Now));
        Assert.Equal(2, counter.CountWithin(TimeSpan.FromDays(15), Now));
        Assert.Equal(1, counter.CountWithin(TimeSpan.FromDays(1), Now));
        Assert.Equal(3, counter.Total);
        Assert.Equal(start, counter.First);
        Assert.Equal(Now, counter.Last);
    }

    [Fact]
    public void OccurrenceLeavesThirtyDayWindowExactlyThirtyDaysLater()
    {
        var counter = new EventCounter();
        var at = Now;
        counter.Add(at, null, Now);
        var window = TimeSpan.FromDays(30);

        time.Advance(window - TimeSpan.FromTicks(1));
        Assert.Equal(1, counter.CountWithin(window, Now));

        time.Advance(TimeSpan.FromTicks(1));
        Assert.Equal(at + window, Now);
        Assert.Equal(0, counter.CountWithin(window, Now));
    }

    [Fact]
    public void OccurrenceAtNowIsInsideTheWindow()
    {
        var counter = new EventCounter();
        counter.Add(Now, null, Now);

        Assert.Equal(1, counter.CountWithin(TimeSpan.FromDays(1), Now));
    }

    [Fact]
    public void LateOccurrenceLandsInItsOwnDay()
    {
        var counter = new EventCounter();
        var late = Now;
        time.Advance(TimeSpan.FromDays(5));
        counter.Add(Now, new Dictionary<string, double> { ["revenue"] = 10 }, Now);
        counter.Add(late, new Dictionary<string, double> { ["revenue"] = 7 }, Now);

        Assert.Equal([DayNumber.Of(late), DayNumber.Of(Now)], counter.Days);
        Assert.Equal([1, 1], counter.Counts);
        Assert.Equal([7.0, 10.0], counter.Sums!["revenue"]);
        Assert.Equal(late, counter.First);
        Assert.Equal(Now, counter.Last);
        Assert.Equal([late.Ticks, Now.Ticks], counter.Recent);
        Assert.Equal(1, counter.CountWithin(TimeSpan.FromDays(3), Now));
        Assert.Equal(2, counter.CountWithin(TimeSpan.FromDays(6), Now));
    }

    [Fact]
    public void RingKeepsTheMostRecentOccurrencesWhateverTheArrivalOrder()
    {
        var counter = new EventCounter();
        var start = Now;
        var times = Enumerable.Range(0, 20).Select(i => start + TimeSpan.FromHours(i)).ToList();
        time.Advance(TimeSpan.FromDays(1));
        foreach (var at in Enumerable.Reverse(times)) counter.Add(at, null, Now);

        Assert.Equal(times.Skip(4).Select(t => t.Ticks), counter.Recent);
        Assert.Equal(start, counter.First);
        Assert.Equal(20, counter.Total);
    }

    [Fact]
    public void CountsEveryOccurrenceFromBucketsWhenTheRingIsFull()
    {
        var counter = new EventCounter();
        for (int i = 0; i < 40; i++)
        {
            counter.Add(Now, null, Now);
            time.Advance(TimeSpan.FromHours(1));
        }

        Assert.Equal(EventCounter.RecentCapacity, counter.Recent.Count);
        Assert.Equal(40, counter.CountWithin(TimeSpan.FromDays(30), Now));
    }

    [Fact]
    public void CountsAtLeastEveryOccurrenceWhenTheRingIsFullAndTheWindowSplitsADay()
    {
        // One occurrence a day at 09:30 on days 0..39; at day 40 21:30 a 20-day window starts at day 20 21:30,
        // so it holds days 21..39 (19 occurrences), more than the ring can tell alone.
        var counter = new EventCounter();
        for (int i = 0; i < 40; i++)
        {
            counter.Add(Now, null, Now);
            time.Advance(TimeSpan.FromDays(1));
        }

        time.Advance(TimeSpan.FromHours(12));
        const int exact = 19;

        int counted = counter.CountWithin(TimeSpan.FromDays(20), Now);

        Assert.InRange(counted, exact, exact + 1); // the window's first day may be counted whole
    }

    [Fact]
    public void CountIsExactWhenTheRingReachesBackBeforeTheWindow()
    {
        var counter = new EventCounter();
        for (int i = 0; i < 10; i++) counter.Add(Now + TimeSpan.FromMinutes(i), null, Now);
        time.Advance(TimeSpan.FromDays(40));
        for (int i = 0; i < 10; i++) counter.Add(Now + TimeSpan.FromMinutes(i), null, Now);
        time.Advance(TimeSpan.FromHours(1));

        Assert.Equal(10, counter.CountWithin(TimeSpan.FromDays(30), Now));
        Assert.Equal(20, counter.CountWithin(TimeSpan.FromDays(60), Now));
    }

    [Fact]
    public void SumsANumericPropertyOverNinetyDays()
    {
        var counter = new EventCounter();
        var origin = Now;
        time.Advance(TimeSpan.FromDays(95));
        foreach (var (daysAgo, revenue) in new[] { (95, 1000.0), (91, 100.0), (89, 10.0), (30, 5.0), (0, 2.5) })
        {
            counter.Add(Now - TimeSpan.FromDays(daysAgo), new Dictionary<string, double> { ["revenue"] = revenue }, Now);
        }

        Assert.Equal(origin, counter.First);
        Assert.Equal(17.5, counter.SumWithin("revenue", TimeSpan.FromDays(90), Now));
        Assert.Equal(7.5, counter.SumWithin("revenue", TimeSpan.FromDays(30), Now));
        Assert.Equal(0, counter.SumWithin("quantity", TimeSpan.FromDays(90), Now));
    }

    [Fact]
    public void SumsAtMostEightProperties()
    {
        var counter = new EventCounter();
        var numbers = Enumerable.Range(0, 10).ToDictionary(i => $"p{i}", i => 1.0);
        counter.Add(Now, numbers, Now);

        Assert.Equal(EventCounter.MaxSummedProperties, counter.Sums!.Count);
        Assert.All(counter.Sums.Values, list => Assert.Equal(counter.Days.Count, list.Count));
    }

    [Fact]
    public void PrunesBucketsOlderThanTheRetention()
    {
        var counter = new EventCounter();
        var first = Now;
        counter.Add(first, new Dictionary<string, double> { ["revenue"] = 1 }, Now);

        time.Advance(TimeSpan.FromDays(EventCounter.RetentionDays));
        counter.Trim(Now);
        Assert.Equal([DayNumber.Of(first)], counter.Days);

        time.Advance(TimeSpan.FromDays(1));
        counter.Add(Now, new Dictionary<string, double> { ["revenue"] = 2 }, Now);

        Assert.Equal([DayNumber.Of(Now)], counter.Days);
        Assert.Equal([1], counter.Counts);
        Assert.Equal([2.0], counter.Sums!["revenue"]);
        Assert.Equal(2, counter.Total);
    }

    [Fact]
    public void OccurrenceOlderThanTheRetentionIsCountedInTotalOnly()
    {
        var counter = new EventCounter();
        counter.Add(Now - TimeSpan.FromDays(EventCounter.RetentionDays + 1), null, Now);

        Assert.Empty(counter.Days);
        Assert.Equal(1, counter.Total);
    }

    [Fact]
    public void MemoryStaysBoundedOverTenThousandOccurrencesInTwoHundredDays()
    {
        var counter = new EventCounter();
        var step = TimeSpan.FromDays(200) / 10_000;
        for (int i = 0; i < 10_000; i++)
        {
            counter.Add(Now, new Dictionary<string, double> { ["revenue"] = 1 }, Now);
            time.Advance(step);
        }

        Assert.Equal(EventCounter.RetentionDays + 1, counter.Days.Count);
        Assert.Equal(counter.Days.Count, counter.Counts.Count);
        Assert.Equal(counter.Days.Count, counter.Sums!["revenue"].Count);
        Assert.Equal(EventCounter.RecentCapacity, counter.Recent.Count);
        Assert.Equal(10_000, counter.Total);
        const int exactIn90Days = 4499; // one every 28.8 minutes, the last one a step before now
        Assert.InRange(counter.CountWithin(TimeSpan.FromDays(90), Now), exactIn90Days, exactIn90Days + 50);
    }

    [Fact]
    public void MergeAddsTheOtherCountersOccurrences()
    {
        var mine = new EventCounter();
        var theirs = new EventCounter();
        var earliest = Now;
        theirs.Add(earliest, new Dictionary<string, double> { ["revenue"] = 3 }, Now);
        time.Advance(TimeSpan.FromDays(2));
        mine.Add(Now, new Dictionary<string, double> { ["revenue"] = 4 }, Now);
        theirs.Add(Now, null, Now);

        mine.MergeFrom(theirs, Now);

        Assert.Equal(3, mine.Total);
        Assert.Equal(earliest, mine.First);
        Assert.Equal(3, mine.CountWithin(TimeSpan.FromDays(30), Now));
        Assert.Equal(7, mine.SumWithin("revenue", TimeSpan.FromDays(30), Now));
        Assert.Equal([1, 2], mine.Counts);
    }
}
