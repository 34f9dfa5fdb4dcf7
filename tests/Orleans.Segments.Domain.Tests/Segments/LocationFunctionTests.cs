using Orleans.Segments.Domain.Events;
using Orleans.Segments.Domain.Geofences;
using Orleans.Segments.Domain.Profile;
using Orleans.Segments.Domain.Segments;

namespace Orleans.Segments.Domain.Tests.Segments;

public sealed class LocationFunctionTests
{
    private static readonly GeoPoint Hauptbahnhof = new(52.5251, 13.3694, "Berlin", "DE");

    /// <summary>About 590 metres from near(52.52, 13.405, ...).</summary>
    private static readonly GeoPoint Alexanderplatz = new(52.5219, 13.4132, "Berlin", "DE");

    private static readonly ModelEnvironment Berlin = new(SegmentSet.Empty, new GeofenceIndex(1,
        [new Geofence("central-station", "Berlin Hauptbahnhof", new GeoPoint(52.5251, 13.3694), 300, null)]));

    private readonly TestUser user = new(Berlin);

    [Fact]
    public void InsideHoldsWhileTheLastLocationIsInTheGeofence()
    {
        user.IsAt(Hauptbahnhof);
        Assert.True(user.Holds("""inside("central-station")"""));

        user.Waits(TimeSpan.FromMinutes(5)).IsAt(Alexanderplatz);
        Assert.False(user.Holds("""inside("central-station")"""));
    }

    [Fact]
    public void NearHoldsWithinTheDistance()
    {
        user.IsAt(Alexanderplatz);

        Assert.True(user.Holds("near(52.52, 13.405, 2km)"));
        Assert.True(user.Holds("near(52.52, 13.405, 600m)"));
        Assert.False(user.Holds("near(52.52, 13.405, 500m)"));
    }

    [Fact]
    public void UserWithoutALocationIsNearNothingAndHasNoCity()
    {
        user.Does("Application Opened");

        Assert.False(user.Holds("near(52.52, 13.405, 2km)"));
        Assert.False(user.Holds("""inside("central-station")"""));
        Assert.False(user.Holds("""city = "Berlin" or city != "Berlin" """));
    }

    [Fact]
    public void CityAndCountryComeFromTheLastLocation()
    {
        user.IsAt(Hauptbahnhof);

        Assert.True(user.Holds("""city = "Berlin" and country = "DE" """));
        Assert.True(user.Holds("""country in ("DE", "AT", "CH")"""));
    }

    [Fact]
    public void TimezoneIsTheLatestReported()
    {
        user.LivesIn("America/New_York").Waits(TimeSpan.FromDays(1)).LivesIn("Europe/Berlin");

        Assert.True(user.Holds("""timezone = "Europe/Berlin" """));
        Assert.False(user.Holds("""timezone = "America/New_York" """));
    }
}
