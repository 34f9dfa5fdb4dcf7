namespace Orleans.Segments.Push;

// Why: the outcomes form one closed set that callers switch over, so they share this file.

/// <summary>What became of one notification to one device, always with a human-readable reason.</summary>
[GenerateSerializer, Immutable, Alias("segments.PushOutcome")]
public abstract record PushOutcome([property: Id(0)] string Reason);

/// <summary>The provider accepted the notification; <paramref name="ProviderId"/> is the <c>apns-id</c> or FCM message name.</summary>
[GenerateSerializer, Immutable, Alias("segments.PushOutcome.Delivered")]
public sealed record Delivered([property: Id(0)] string ProviderId, [property: Id(1)] int Attempts) : PushOutcome("Delivered");

/// <summary>
/// The provider refused for good; never retried. <paramref name="TokenDead"/> says the token must not be used again
/// (APNs 410, FCM <c>UNREGISTERED</c>...), dead since <paramref name="DeadSince"/> (APNs' timestamp when given).
/// </summary>
[GenerateSerializer, Immutable, Alias("segments.PushOutcome.PermanentFailure")]
public sealed record PermanentFailure(
    string Reason,
    [property: Id(0)] bool TokenDead,
    [property: Id(1)] DateTime? DeadSince,
    [property: Id(2)] int Attempts) : PushOutcome(Reason);

/// <summary>
/// The provider could not take it now and the retries allowed are used up (or a <c>Retry-After</c> was longer than we
/// wait); the caller may try again later, after <paramref name="RetryAfter"/> when the provider said so.
/// <paramref name="MayHaveReached"/>: the request may have reached the provider (the connection broke or timed
/// out after it was sent), so sending it again could deliver it twice.
/// </summary>
[GenerateSerializer, Immutable, Alias("segments.PushOutcome.TransientFailure")]
public sealed record TransientFailure(
    string Reason,
    [property: Id(0)] int Attempts,
    [property: Id(1)] TimeSpan? RetryAfter = null,
    [property: Id(2)] bool MayHaveReached = false) : PushOutcome(Reason);

/// <summary>Refused before any request was made: the payload is too large, the token malformed, and so on.</summary>
[GenerateSerializer, Immutable, Alias("segments.PushOutcome.Rejected")]
public sealed record Rejected(string Reason) : PushOutcome(Reason);
