using Orleans.Segments.Domain.Campaigns;

namespace Orleans.Segments.Domain.Tests.Campaigns;

public sealed class CampaignScheduleTests
{
    private static readonly DateTime Monday = new(2026, 3, 23, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void RecurringScheduleFollowsItsZoneAcrossTheDstChange()
    {
        var trigger = new CampaignTrigger(TriggerKind.Schedule) { Cron = "0 9 * * *", TimeZone = "Europe/Berlin" };

        var first = CampaignSchedule.Next(trigger, new DateTime(2026, 3, 28, 12, 0, 0, DateTimeKind.Utc), null)!;
        var second = CampaignSchedule.Next(trigger, first.StartAt, first)!;

        Assert.Equal(new DateTime(2026, 3, 29, 7, 0, 0, DateTimeKind.Utc), first.StartAt); // 09:00 CEST, the first summer day
        Assert.Equal(new DateTime(2026, 3, 30, 7, 0, 0, DateTimeKind.Utc), second.StartAt);
        Assert.NotEqual(first.Key, second.Key);
    }

    [Fact]
    public void LocalTimeOccurrenceStartsWhenTheFirstZoneReachesItAndLandsOnEachZonesWallClock()
    {
        var wall = new DateTime(2026, 3, 24, 9, 0, 0);
        var trigger = new CampaignTrigger(TriggerKind.Schedule) { At = wall, LocalTime = true };

        var occurrence = CampaignSchedule.Next(trigger, Monday, null)!;

        Assert.Equal(wall.AddHours(-14), occurrence.StartAt);
        Assert.Equal(wall, occurrence.LocalWallClock);
        Assert.Equal(new DateTime(2026, 3, 24, 0, 0, 0, DateTimeKind.Utc), CampaignSchedule.InZone(wall, "Asia/Tokyo"));
        Assert.Equal(new DateTime(2026, 3, 24, 13, 0, 0, DateTimeKind.Utc), CampaignSchedule.InZone(wall, "America/New_York")); // EDT since March 8
    }

    [Fact]
    public void WallClockInTheSpringForwardGapMovesToTheFirstValidMinute()
    {
        var inGap = new DateTime(2026, 3, 29, 2, 30, 0);

        Assert.Equal(new DateTime(2026, 3, 29, 1, 0, 0, DateTimeKind.Utc), CampaignSchedule.InZone(inGap, "Europe/Berlin")); // 03:00 CEST
    }

    [Fact]
    public void AmbiguousWallClockInTheFallBackHourIsItsFirstOccurrence()
    {
        var twice = new DateTime(2026, 10, 25, 2, 30, 0);

        Assert.Equal(new DateTime(2026, 10, 25, 0, 30, 0, DateTimeKind.Utc), CampaignSchedule.InZone(twice, "Europe/Berlin")); // 02:30 CEST
    }

    [Fact]
    public void OnceScheduleHasOneOccurrenceAndACronThatNeverFiresHasNone()
    {
        var once = new CampaignTrigger(TriggerKind.Schedule) { At = Monday.AddHours(1) };
        var never = new CampaignTrigger(TriggerKind.Schedule) { Cron = "0 0 30 2 *" };

        var first = CampaignSchedule.Next(once, Monday, null)!;

        Assert.Equal(Monday.AddHours(1), first.StartAt);
        Assert.Null(CampaignSchedule.Next(once, Monday, first));
        Assert.Null(CampaignSchedule.Next(never, Monday, null));
    }

    [Fact]
    public void LocalTimeScheduleIsStillDueWhileSomeZoneHasNotReachedIt()
    {
        var wall = new DateTime(2026, 3, 23, 9, 0, 0);
        var trigger = new CampaignTrigger(TriggerKind.Schedule) { At = wall, LocalTime = true };

        Assert.NotNull(CampaignSchedule.Next(trigger, new DateTime(2026, 3, 23, 20, 0, 0, DateTimeKind.Utc), null)); // 09:00 not yet reached at UTC-12
        Assert.Null(CampaignSchedule.Next(trigger, new DateTime(2026, 3, 23, 21, 1, 0, DateTimeKind.Utc), null));
    }
}
