using Orleans.Segments.Domain.Geofences;
using Orleans.Segments.Domain.Segments;

namespace Orleans.Segments.Segments;

/// <summary>
/// One app's segment and geofence definitions (key: app id). Every change bumps one version; silos compile
/// the definitions of a version once and cache them.
/// </summary>
[Alias("segments.ISegmentCatalogGrain")]
public interface ISegmentCatalogGrain : IGrainWithStringKey
{
    [Alias("GetSnapshot")]
    Task<CatalogSnapshot> GetSnapshot();

    /// <summary>Validates and stores a segment; the errors say why it was refused.</summary>
    [Alias("PutSegment")]
    Task<CatalogChange> PutSegment(SegmentDefinition definition);

    [Alias("DeleteSegment")]
    Task<CatalogChange> DeleteSegment(string id);

    [Alias("PutGeofence")]
    Task<CatalogChange> PutGeofence(Geofence geofence);

    [Alias("DeleteGeofence")]
    Task<CatalogChange> DeleteGeofence(string id);
}

/// <summary>The definitions of an app at one version.</summary>
[GenerateSerializer, Immutable, Alias("segments.CatalogSnapshot")]
public sealed record CatalogSnapshot(
    [property: Id(0)] long Version,
    [property: Id(1)] SegmentDefinition[] Segments,
    [property: Id(2)] Geofence[] Geofences,
    [property: Id(3)] Dictionary<string, long> SegmentVersions);

/// <summary>The outcome of a change to a catalog.</summary>
[GenerateSerializer, Immutable, Alias("segments.CatalogChange")]
public sealed record CatalogChange(
    [property: Id(0)] CatalogChangeStatus Status,
    [property: Id(1)] long Version,
    [property: Id(2)] string[] Errors)
{
    public static CatalogChange Invalid(params string[] errors) => new(CatalogChangeStatus.Invalid, 0, errors);
}

public enum CatalogChangeStatus
{
    Created,
    Updated,
    Unchanged,
    Deleted,
    NotFound,
    Invalid,
    /// <summary>Another definition uses it; the errors name which.</summary>
    InUse,
}
