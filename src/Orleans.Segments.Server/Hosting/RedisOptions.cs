namespace Orleans.Segments.Server.Hosting;

/// <summary>The production backend, bound from <c>Segments:Redis</c>: clustering, grain state and reminders in Redis.</summary>
public sealed class RedisOptions
{
    public const string Section = "Segments:Redis";

    /// <summary>
    /// A StackExchange.Redis connection string, e.g. <c>redis:6379,password=…</c>. Set, it selects Redis for
    /// clustering, grain state and reminders; unset, the server runs embedded (in memory). Default: none.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>How long start-up waits for Redis to answer before it gives up with a clear error. Default: 10 seconds.</summary>
    public TimeSpan StartupTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public bool Enabled => !string.IsNullOrWhiteSpace(ConnectionString);
}
