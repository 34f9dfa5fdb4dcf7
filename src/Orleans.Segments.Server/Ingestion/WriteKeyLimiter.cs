using System.Globalization;
using System.Threading.RateLimiting;
using Orleans.Segments.Server.Hosting;

namespace Orleans.Segments.Server.Ingestion;

/// <summary>
/// The per-app limit of ingestion (<c>Segments:RateLimits:WriteKeyPerSecond</c>), taken once the write key is
/// known: mobile SDKs put it in the body, not in a header, so the limit cannot be taken before the body is read.
/// A write key is public (it ships in apps and pages); this limit is what protects the app from a flood sent with it.
/// </summary>
public sealed class WriteKeyLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string>? limiter;

    public WriteKeyLimiter(IConfiguration configuration)
    {
        var options = configuration.GetSection(RateLimitOptions.Section).Get<RateLimitOptions>() ?? new RateLimitOptions();
        if (!options.Enabled) return;
        limiter = PartitionedRateLimiter.Create<string, string>(appId => RateLimitPartition.GetTokenBucketLimiter(appId, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = Math.Max(1, options.WriteKeyBurst),
            TokensPerPeriod = Math.Max(1, options.WriteKeyPerSecond),
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
    }

    /// <summary>Null when the app may ingest now; otherwise the 429 answer with Retry-After.</summary>
    public IResult? Acquire(HttpContext http, string appId)
    {
        if (limiter is null) return null;
        using var lease = limiter.AttemptAcquire(appId);
        if (lease.IsAcquired) return null;
        int seconds = lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)) : 1;
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return Results.Problem($"This write key sent more requests than allowed ({RateLimitOptions.Section}); retry after {seconds} s.",
            statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests.");
    }

    public void Dispose() => limiter?.Dispose();
}
