using Orleans.Segments.Domain.Events;

namespace Orleans.Segments.Domain.Profile;

/// <summary>A push token of one of the user's devices and what we know of its validity.</summary>
[GenerateSerializer, Alias("segments.PushDevice")]
public sealed class PushDevice
{
    [Id(0)] public required string Token { get; set; }

    [Id(1)] public PushPlatform Platform { get; set; }

    [Id(2)] public DateTime RegisteredAt { get; set; }

    [Id(3)] public DateTime LastSeenAt { get; set; }

    /// <summary>When APNs or FCM said the token is no longer valid; a dead token is never used again.</summary>
    [Id(4)] public DateTime? InvalidatedAt { get; set; }

    public bool IsLive => InvalidatedAt is null;
}
