using Orleans.Segments.Domain.Events;

namespace Orleans.Segments.Users;

/// <summary>One user of a bulk import, checked whole before it is applied: traits, devices, consents, first and last seen.</summary>
[GenerateSerializer, Immutable, Alias("segments.ImportedUser")]
public sealed record ImportedUser(
    [property: Id(0)] string UserId,
    [property: Id(1)] Dictionary<string, TraitValue>? Traits,
    [property: Id(2)] DeviceToken[] Devices,
    [property: Id(3)] bool? Marketing,
    [property: Id(4)] bool? Transactional,
    [property: Id(5)] DateTime? FirstSeen,
    [property: Id(6)] DateTime? LastSeen);
