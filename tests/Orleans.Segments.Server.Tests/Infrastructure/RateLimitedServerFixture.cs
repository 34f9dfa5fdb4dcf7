namespace Orleans.Segments.Server.Tests.Infrastructure;

/// <summary>A server of its own with tiny rate limits: three requests at once, then one a second, per key.</summary>
public sealed class RateLimitedServerFixture : ServerFixture
{
    protected override IEnumerable<string> ExtraArguments =>
    [
        "--Segments:RateLimits:WriteKeyPerSecond=1",
        "--Segments:RateLimits:WriteKeyBurst=3",
        "--Segments:RateLimits:AdminKeyPerSecond=1",
        "--Segments:RateLimits:AdminKeyBurst=3",
        "--Segments:RateLimits:UnidentifiedPerSecond=1",
        "--Segments:RateLimits:UnidentifiedBurst=3",
    ];
}
