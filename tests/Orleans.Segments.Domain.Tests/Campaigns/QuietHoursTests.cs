using Orleans.Segments.Domain.Campaigns;

namespace Orleans.Segments.Domain.Tests.Campaigns;

public sealed class QuietHoursTests
{
    private readonly QuietHours quiet = new() { Start = new TimeOnly(22, 0), End = new TimeOnly(8, 0) };

    [Fact]
    public void DaytimeIsNotQuiet()
    {
        var noon = new DateTime(2026, 6, 1, 10, 0, 0, DateTimeKind.Utc); // 12:00 in Berlin (CEST)

        Assert.Equal(noon, quiet.NextAllowed(noon, "Europe/Berlin"));
    }

    [Fact]
    public void AfterMidnightWaitsForEightLocal()
    {
        var night = new DateTime(2026, 6, 1, 0, 30, 0, DateTimeKind.Utc); // 20:30 in New York (EDT): not quiet
        var later = new DateTime(2026, 6, 1, 4, 30, 0, DateTimeKind.Utc); // 00:30 in New York: quiet until 08:00 EDT = 12:00 UTC

        Assert.Equal(night, quiet.NextAllowed(night, "America/New_York"));
        Assert.Equal(new DateTime(2026, 6, 1, 12, 0, 0, DateTimeKind.Utc), quiet.NextAllowed(later, "America/New_York"));
    }

    [Fact]
    public void MorningAfterTheSpringForwardChangeIsComputedInTheNewOffset()
    {
        // Berlin moves from CET (+1) to CEST (+2) at 02:00 on 29 March 2026: 08:00 that morning is 06:00 UTC.
        var night = new DateTime(2026, 3, 28, 23, 0, 0, DateTimeKind.Utc); // 00:00 CET

        Assert.Equal(new DateTime(2026, 3, 29, 6, 0, 0, DateTimeKind.Utc), quiet.NextAllowed(night, "Europe/Berlin"));
    }

    [Fact]
    public void QuietHoursEndingInTheSkippedHourEndAtTheFirstValidMinute()
    {
        var early = new QuietHours { Start = new TimeOnly(1, 0), End = new TimeOnly(2, 30) };
        var night = new DateTime(2026, 3, 29, 0, 30, 0, DateTimeKind.Utc); // 01:30 CET; 02:00-03:00 does not exist

        Assert.Equal(new DateTime(2026, 3, 29, 1, 0, 0, DateTimeKind.Utc), early.NextAllowed(night, "Europe/Berlin"));
    }

    [Fact]
    public void UnknownZoneFallsBackToTheDefault()
    {
        var utcNight = new DateTime(2026, 6, 1, 23, 0, 0, DateTimeKind.Utc);

        Assert.Equal(new DateTime(2026, 6, 2, 8, 0, 0, DateTimeKind.Utc), quiet.NextAllowed(utcNight, null));
    }
}
