namespace Orleans.Segments.Push.Delivery;

/// <summary>How a provider answered one HTTP request, as the retry loop needs to know it.</summary>
internal enum AttemptKind
{
    Delivered,
    Permanent,
    Transient,

    /// <summary>Our credential was refused as expired: refresh it once and try again.</summary>
    AuthExpired,

    /// <summary>The server closed the stream before processing it (HTTP/2 REFUSED_STREAM): resend at once.</summary>
    Refused,

    /// <summary>The request may have reached the provider but no answer came: not retried, to send at most once.</summary>
    Ambiguous,
}

/// <summary>One provider answer: what kind, why, and what the provider told us with it.</summary>
internal readonly record struct Attempt(
    AttemptKind Kind,
    string Reason,
    string? ProviderId = null,
    bool TokenDead = false,
    DateTime? DeadSince = null,
    TimeSpan? RetryAfter = null)
{
    public static Attempt Delivered(string providerId) => new(AttemptKind.Delivered, "Delivered", providerId);
}
