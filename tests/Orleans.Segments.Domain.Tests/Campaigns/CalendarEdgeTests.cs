using Orleans.Segments.Domain.Campaigns;

namespace Orleans.Segments.Domain.Tests.Campaigns;

/// <summary>Schedule arithmetic at the first and last tick of the calendar gives answers, never an overflow.</summary>
public sealed class CalendarEdgeTests
{
    private static readonly DateTime Last = DateTime.SpecifyKind(DateTime.MaxValue, DateTimeKind.Utc);
    private static readonly DateTime First = DateTime.SpecifyKind(DateTime.MinValue, DateTimeKind.Utc);

    public static TheoryData<DateTime, DateTime> Edges => new()
    {
        { new DateTime(9999, 12, 31, 23, 59, 0), new DateTime(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc) },
        { new DateTime(9999, 12, 31, 23, 59, 0), Last },
        { new DateTime(1, 1, 1, 0, 0, 0), First },
        { new DateTime(1, 1, 1, 0, 0, 0), new DateTime(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc) },
    };

    [Theory]
    [MemberData(nameof(Edges))]
    public void NextOccurrenceOfAScheduleAtTheEdgesDoesNotOverflow(DateTime at, DateTime after)
    {
        foreach (bool localTime in new[] { true, false })
        {
            var trigger = new CampaignTrigger(TriggerKind.Schedule) { At = at, LocalTime = localTime };

            var occurrence = CampaignSchedule.Next(trigger, after, null);

            if (occurrence is { } o) Assert.True(o.StartAt >= First && o.StartAt <= Last);
        }
    }

    [Theory]
    [InlineData("0 9 * * *")]
    [InlineData("59 23 31 12 *")]
    public void RecurringSchedulesNearTheEndOfTheCalendarEndQuietly(string cron)
    {
        var trigger = new CampaignTrigger(TriggerKind.Schedule) { Cron = cron, LocalTime = true };

        var occurrence = CampaignSchedule.Next(trigger, new DateTime(9999, 12, 31, 23, 0, 0, DateTimeKind.Utc), null);

        Assert.True(occurrence is null || occurrence.StartAt <= Last);
    }

    [Theory]
    [InlineData("Pacific/Kiritimati")]
    [InlineData("Pacific/Pago_Pago")]
    [InlineData("America/New_York")]
    public void AWallClockAtTheEdgesInAnyZoneIsAnInstant(string zone)
    {
        Assert.Equal(DateTimeKind.Utc, CampaignSchedule.InZone(new DateTime(9999, 12, 31, 23, 59, 0), zone).Kind);
        Assert.Equal(DateTimeKind.Utc, CampaignSchedule.InZone(new DateTime(1, 1, 1, 0, 0, 0), zone).Kind);
    }

    [Fact]
    public void CalendarAddHoldsAtTheEnds()
    {
        Assert.Equal(DateTime.MaxValue.Ticks, Calendar.Add(Last, TimeSpan.FromDays(1)).Ticks);
        Assert.Equal(DateTime.MinValue.Ticks, Calendar.Add(First, TimeSpan.FromDays(-1)).Ticks);
        Assert.Equal(new DateTime(2026, 3, 2), Calendar.Add(new DateTime(2026, 3, 1), TimeSpan.FromDays(1)));
    }

    [Theory]
    [InlineData("1999-12-31T23:59:59Z", false)]
    [InlineData("2000-01-01T00:00:00Z", true)]
    [InlineData("2999-12-31T23:59:59Z", true)]
    [InlineData("3000-01-01T00:00:00Z", false)]
    public void DefinitionsNameDatesOfTheSupportedRangeOnly(string at, bool valid)
    {
        var trigger = new CampaignTrigger(TriggerKind.Schedule) { At = DateTime.Parse(at, null, System.Globalization.DateTimeStyles.AdjustToUniversal) };

        Assert.Equal(valid, trigger.Validate() is null);
    }
}
