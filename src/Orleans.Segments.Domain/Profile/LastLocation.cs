using MessagePack;
using Orleans.Segments.Domain.Events;

namespace Orleans.Segments.Domain.Profile;

/// <summary>The most recent known position and the event time it was reported at.</summary>
[GenerateSerializer, Immutable, Alias("segments.LastLocation")]
[MessagePackObject]
public sealed record LastLocation([property: Id(0), Key(0)] GeoPoint Point, [property: Id(1), Key(1)] DateTime At);
