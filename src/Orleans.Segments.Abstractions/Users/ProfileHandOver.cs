using Orleans.Segments.Domain.Profile;

namespace Orleans.Segments.Users;

/// <summary>The state of an anonymous profile being merged into a known user's.</summary>
[GenerateSerializer, Immutable, Alias("segments.ProfileHandOver")]
public sealed record ProfileHandOver([property: Id(0)] UserProfileState State);
