using Orleans.Segments.Domain.Events;
using Orleans.Segments.Domain.Geofences;
using Orleans.Segments.Domain.Segments;

namespace Orleans.Segments.Domain.Tests.Geofences;

public sealed class GeofenceIndexTests
{
    private static readonly GeoPoint Hauptbahnhof = new(52.5251, 13.3694);
    private static readonly GeoPoint Reichstag = new(52.5186, 13.3762);
    private static readonly GeoPoint Alexanderplatz = new(52.5219, 13.4132);

    /// <summary>The station building and its forecourt, drawn clockwise from the north-west corner.</summary>
    private static readonly Geofence Station = new("central-station", "Berlin Hauptbahnhof", null, 0,
        [new GeoPoint(52.5262, 13.3672), new GeoPoint(52.5262, 13.3717), new GeoPoint(52.5240, 13.3717), new GeoPoint(52.5240, 13.3672)]);

    private static readonly double[] Bearings = [0, 45, 90, 135, 180, 225, 270, 315];

    [Fact]
    public void PolygonAroundHauptbahnhofContainsTheStationAndNotTheReichstag()
    {
        var index = new GeofenceIndex(1, [Station]);

        Assert.Equal(["central-station"], index.Containing(Hauptbahnhof.Latitude, Hauptbahnhof.Longitude));
        Assert.Empty(index.Containing(Reichstag.Latitude, Reichstag.Longitude));
        Assert.Empty(index.Containing(Alexanderplatz.Latitude, Alexanderplatz.Longitude));
    }

    [Fact]
    public void PolygonContainsItsEdgesAndCorners()
    {
        var index = new GeofenceIndex(1, [Station]);

        Assert.Equal(["central-station"], index.Containing(52.5262, 13.3672));
        Assert.Equal(["central-station"], index.Containing(52.5251, 13.3717));
        Assert.Empty(index.Containing(52.5262001, 13.3690));
    }

    [Fact]
    public void ConcavePolygonLeavesOutItsNotch()
    {
        var shape = new Geofence("l-shape", "L", null, 0,
            [new GeoPoint(52.0, 13.0), new GeoPoint(52.0, 13.2), new GeoPoint(52.1, 13.2), new GeoPoint(52.1, 13.1), new GeoPoint(52.2, 13.1), new GeoPoint(52.2, 13.0)]);
        var index = new GeofenceIndex(1, [shape]);

        Assert.Equal(["l-shape"], index.Containing(52.05, 13.15));
        Assert.Equal(["l-shape"], index.Containing(52.15, 13.05));
        Assert.Empty(index.Containing(52.15, 13.15));
    }

    [Fact]
    public void CircleContainsEveryPointJustInsideItsRadius()
    {
        var index = new GeofenceIndex(1, [new Geofence("alex", "Alexanderplatz", Alexanderplatz, 500, null)]);

        Assert.All(Bearings, bearing =>
        {
            var point = Sphere.Destination(Alexanderplatz, 499.9, bearing);
            Assert.Equal(499.9, Geo.DistanceMeters(point.Latitude, point.Longitude, Alexanderplatz.Latitude, Alexanderplatz.Longitude), 6);
            Assert.Equal(["alex"], index.Containing(point.Latitude, point.Longitude));
        });
    }

    [Fact]
    public void CircleLeavesOutEveryPointJustOutsideItsRadius()
    {
        var index = new GeofenceIndex(1, [new Geofence("alex", "Alexanderplatz", Alexanderplatz, 500, null)]);

        Assert.All(Bearings, bearing =>
        {
            var point = Sphere.Destination(Alexanderplatz, 500.1, bearing);
            Assert.Empty(index.Containing(point.Latitude, point.Longitude));
        });
    }

    [Fact]
    public void CircleAcrossTheAntimeridianContainsPointsOnBothSides()
    {
        var fiji = new GeoPoint(-17.0, 179.99);
        var index = new GeofenceIndex(1, [new Geofence("fiji", "Fiji", fiji, 10_000, null)]);

        Assert.Equal(["fiji"], index.Containing(-17.0, 179.995));
        Assert.Equal(["fiji"], index.Containing(-17.0, -179.99));
    }

    [Fact]
    public void CircleNearThePoleContainsPointsFarToItsSideInLongitude()
    {
        var centre = new GeoPoint(89.0, 0);
        var index = new GeofenceIndex(1, [new Geofence("arctic", "Arctic", centre, 100_000, null)]);
        var eastmost = Enumerable.Range(0, 360).Select(b => Sphere.Destination(centre, 99_000, b / 2.0)).MaxBy(p => p.Longitude)!;

        // A flat box (radius / 111 km / cos latitude) reaches only 51.5 degrees east of the centre here.
        Assert.InRange(eastmost.Longitude, 60, 65);
        Assert.Equal(["arctic"], index.Containing(eastmost.Latitude, eastmost.Longitude));
    }

    [Fact]
    public void CircleAroundThePoleContainsEveryLongitude()
    {
        var index = new GeofenceIndex(1, [new Geofence("pole", "North Pole", new GeoPoint(89.5, 10), 100_000, null)]);

        Assert.All(new[] { -180.0, -90, 0, 90, 179.9 }, longitude => Assert.Equal(["pole"], index.Containing(89.9, longitude)));
    }

    [Fact]
    public void OverlappingFencesAreAllFound()
    {
        var index = new GeofenceIndex(1, [Station, new Geofence("near-station", "Around the station", Hauptbahnhof, 1_000, null)]);

        Assert.Equal(["central-station", "near-station"], index.Containing(Hauptbahnhof.Latitude, Hauptbahnhof.Longitude).Order());
        Assert.Equal(["near-station"], index.Containing(Reichstag.Latitude, Reichstag.Longitude));
    }

    [Fact]
    public void EmptyIndexContainsNothing()
    {
        Assert.Empty(GeofenceIndex.Empty.Containing(Hauptbahnhof.Latitude, Hauptbahnhof.Longitude));
    }
}
