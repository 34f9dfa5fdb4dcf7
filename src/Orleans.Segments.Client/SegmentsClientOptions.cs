namespace Orleans.Segments.Client;

/// <summary>Where the server is and which keys the client holds.</summary>
public sealed class SegmentsClientOptions
{
    /// <summary>The server's address, e.g. <c>https://segments.example.com/</c>.</summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>The app's write key: tracking calls. Public by nature; it can only ingest.</summary>
    public string? WriteKey { get; set; }

    /// <summary>The app's admin key: every management call. Keep it on the backend.</summary>
    public string? AdminKey { get; set; }

    /// <summary>
    /// How many times a tracking call is retried after a 429, a 503 or a broken connection. Every call carries a
    /// message id, so a retry of a call the server did store is applied once.
    /// </summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>The longest wait between retries, whatever <c>Retry-After</c> says.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The clock retries wait on (tests pass a fake one).</summary>
    public TimeProvider Time { get; set; } = TimeProvider.System;
}
