namespace Orleans.Segments.Server.Hosting;

/// <summary>Requests per second each key may make (token buckets), bound from <c>Segments:RateLimits</c>; beyond them, 429 with Retry-After.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "Segments:RateLimits";

    /// <summary>Turn rate limiting on. Default: true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Requests per second of one write key (ingestion; a batch is one request). Default: 1000.</summary>
    public int WriteKeyPerSecond { get; set; } = 1000;

    /// <summary>Requests one write key may make at once above its rate. Default: 2000.</summary>
    public int WriteKeyBurst { get; set; } = 2000;

    /// <summary>Requests per second of one admin key (management API). Default: 50.</summary>
    public int AdminKeyPerSecond { get; set; } = 50;

    /// <summary>Requests one admin key may make at once above its rate. Default: 100.</summary>
    public int AdminKeyBurst { get; set; } = 100;

    /// <summary>
    /// Requests per second from one client address without a known key in a header (unknown keys, or a write
    /// key sent only in the body). Default: 200.
    /// </summary>
    public int UnidentifiedPerSecond { get; set; } = 200;

    /// <summary>Requests one client address without a known key may make at once. Default: 400.</summary>
    public int UnidentifiedBurst { get; set; } = 400;
}
