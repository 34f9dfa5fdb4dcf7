using MessagePack;
using Orleans.Segments.Domain.Events;

namespace Orleans.Segments.Domain.Profile;

/// <summary>A push token of one of the user's devices and what we know of its validity.</summary>
[GenerateSerializer, Alias("segments.PushDevice")]
[MessagePackObject]
public sealed class PushDevice
{
    [Id(0), Key(0)] public required string Token { get; set; }

    [Id(1), Key(1)] public PushPlatform Platform { get; set; }

    [Id(2), Key(2)] public DateTime RegisteredAt { get; set; }

    [Id(3), Key(3)] public DateTime LastSeenAt { get; set; }

    /// <summary>When APNs or FCM said the token is no longer valid; a dead token is never used again.</summary>
    [Id(4), Key(4)] public DateTime? InvalidatedAt { get; set; }

    [IgnoreMember]
    public bool IsLive => InvalidatedAt is null;
}
