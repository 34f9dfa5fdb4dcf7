using System.Globalization;
using System.Text;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Orleans.Segments.Server.Apps;

namespace Orleans.Segments.Server.Hosting;

/// <summary>
/// One token bucket per key (its app and role), so one app's backend cannot starve another's, and one per client
/// address for requests without a known key, so guessing keys is slow. Health probes and the operator are not limited.
/// </summary>
public static class RateLimiting
{
    public static IServiceCollection AddSegmentsRateLimiting(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(RateLimitOptions.Section).Get<RateLimitOptions>() ?? new RateLimitOptions();
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http => Partition(http, options));
            limiter.OnRejected = async (context, cancellationToken) =>
            {
                var seconds = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)) : 1;
                context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                await Results.Problem($"This key sent more requests than allowed ({RateLimitOptions.Section}); retry after {seconds} s.",
                    statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests.").ExecuteAsync(context.HttpContext);
            };
        });
        return services;
    }

    private static RateLimitPartition<string> Partition(HttpContext http, RateLimitOptions options)
    {
        var path = http.Request.Path;
        if (!options.Enabled || path.StartsWithSegments("/health") || OperatorAuth.Guards(path))
        {
            return RateLimitPartition.GetNoLimiter("unlimited");
        }

        var caller = http.RequestServices.GetRequiredService<AppCatalog>().Find(HeaderKey(http.Request));
        return caller switch
        {
            // Why: write keys are limited by the ingestion handler, which also sees keys sent in the body (WriteKeyLimiter).
            { Role: KeyRole.Write } => RateLimitPartition.GetNoLimiter("write"),
            { Role: KeyRole.Admin } => Bucket($"admin:{caller.AppId}", options.AdminKeyPerSecond, options.AdminKeyBurst),
            _ => Bucket($"address:{http.Connection.RemoteIpAddress}", options.UnidentifiedPerSecond, options.UnidentifiedBurst),
        };
    }

    private static RateLimitPartition<string> Bucket(string partition, int perSecond, int burst) =>
        RateLimitPartition.GetTokenBucketLimiter(partition, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = Math.Max(1, burst),
            TokensPerPeriod = Math.Max(1, perSecond),
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        });

    /// <summary>The key of the Authorization header: the Basic user name (write keys) or the Bearer token (admin keys).</summary>
    private static string? HeaderKey(HttpRequest request)
    {
        string? header = request.Headers.Authorization;
        if (header is null || header.Length > 1100) return null;
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return header["Bearer ".Length..].Trim();
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase)) return null;
        try
        {
            string decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..].Trim()));
            int colon = decoded.IndexOf(':');
            return colon < 0 ? decoded : decoded[..colon];
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
