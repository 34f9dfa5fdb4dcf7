using Microsoft.Extensions.Time.Testing;
using Orleans.Segments.Domain.Behaviour;

namespace Orleans.Segments.Domain.Tests.Behaviour;

public sealed class ActivityLogTests
{
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2025, 3, 1, 9, 30, 0, TimeSpan.Zero));

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    [Fact]
    public void KeepsFirstAndLastSeenWhateverTheArrivalOrder()
    {
        var log = new ActivityLog();
        var earliest = Now;
        var middle = Now + TimeSpan.FromHours(5);
        var latest = Now + TimeSpan.FromDays(3);

        log.Record(middle);
        log.Record(latest);
        log.Record(earliest);

        Assert.Equal(earliest, log.FirstSeen);
        Assert.Equal(latest, log.LastSeen);
    }

    [Fact]
    public void CountsActiveDaysWithinThirtyDays()
    {
        var log = new ActivityLog();
        var today = Now + TimeSpan.FromDays(40);
        foreach (int daysAgo in new[] { 0, 0, 1, 5, 29, 30, 35 })
        {
            log.Record(today - TimeSpan.FromDays(daysAgo));
        }

        Assert.Equal(4, log.ActiveDaysWithin(30, today));
        Assert.Equal(6, log.ActiveDaysWithin(36, today));
        Assert.Equal(1, log.ActiveDaysWithin(1, today));
    }

    [Fact]
    public void LateActivityLandsOnItsOwnDay()
    {
        var log = new ActivityLog();
        var late = Now;
        log.Record(Now + TimeSpan.FromDays(10));
        log.Record(late);

        Assert.True(log.IsActive(DayNumber.Of(late)));
        Assert.Equal([DayNumber.Of(late) + 10, DayNumber.Of(late)], log.Days());
    }

    [Fact]
    public void KeepsADayAfterShiftingPastSixtyFourDays()
    {
        var log = new ActivityLog();
        int first = DayNumber.Of(Now);
        log.Record(Now);
        log.Record(Now + TimeSpan.FromDays(64));
        log.Record(Now + TimeSpan.FromDays(70));

        Assert.True(log.IsActive(first));
        Assert.True(log.IsActive(first + 64));
        Assert.False(log.IsActive(first + 1));
        Assert.Equal([first + 70, first + 64, first], log.Days());
    }

    [Fact]
    public void KeepsEveryDayThroughManySmallShifts()
    {
        var log = new ActivityLog();
        int first = DayNumber.Of(Now);
        int[] offsets = [0, 30, 60, 63, 64, 90, 120, 127];
        foreach (int offset in offsets) log.Record(Now + TimeSpan.FromDays(offset));

        Assert.Equal(Enumerable.Reverse(offsets).Select(o => first + o), log.Days());
        Assert.Equal(offsets.Length, log.ActiveDaysWithin(ActivityLog.TrackedDays, Now + TimeSpan.FromDays(127)));
    }

    [Fact]
    public void ForgetsADayOnceItIsMoreThanOneHundredTwentySevenDaysOld()
    {
        var log = new ActivityLog();
        int first = DayNumber.Of(Now);
        log.Record(Now);

        log.Record(Now + TimeSpan.FromDays(127));
        Assert.True(log.IsActive(first));

        log.Record(Now + TimeSpan.FromDays(128));
        Assert.False(log.IsActive(first));
        Assert.Equal([first + 128, first + 127], log.Days());
    }

    [Fact]
    public void ForgetsEverythingAfterAJumpOfMoreThanOneHundredTwentyEightDays()
    {
        var log = new ActivityLog();
        var first = Now;
        log.Record(first);
        log.Record(first + TimeSpan.FromDays(1));

        log.Record(first + TimeSpan.FromDays(200));

        Assert.Equal([DayNumber.Of(first) + 200], log.Days());
        Assert.Equal(first, log.FirstSeen);
    }

    [Fact]
    public void LateActivityOlderThanTheBitmapMovesFirstSeenOnly()
    {
        var log = new ActivityLog();
        log.Record(Now + TimeSpan.FromDays(200));
        log.Record(Now);

        Assert.Equal(Now, log.FirstSeen);
        Assert.Equal([DayNumber.Of(Now) + 200], log.Days());
    }

    [Fact]
    public void MergeKeepsTheExactFirstAndLastSeen()
    {
        var mine = new ActivityLog();
        var theirs = new ActivityLog();
        var theirFirst = Now;
        theirs.Record(theirFirst);
        theirs.Record(theirFirst + TimeSpan.FromDays(2));
        mine.Record(theirFirst + TimeSpan.FromHours(6));
        mine.Record(theirFirst + TimeSpan.FromDays(5));

        mine.MergeFrom(theirs);

        Assert.Equal(theirFirst, mine.FirstSeen);
        Assert.Equal(theirFirst + TimeSpan.FromDays(5), mine.LastSeen);
        int day = DayNumber.Of(theirFirst);
        Assert.Equal([day + 5, day + 2, day], mine.Days());
    }

    [Fact]
    public void MergeIntoAnEmptyLogCopiesTheOther()
    {
        var mine = new ActivityLog();
        var theirs = new ActivityLog();
        theirs.Record(Now);
        theirs.Record(Now + TimeSpan.FromDays(1));

        mine.MergeFrom(theirs);

        Assert.Equal(theirs.FirstSeen, mine.FirstSeen);
        Assert.Equal(theirs.LastSeen, mine.LastSeen);
        Assert.Equal(theirs.Days(), mine.Days());
    }
}
