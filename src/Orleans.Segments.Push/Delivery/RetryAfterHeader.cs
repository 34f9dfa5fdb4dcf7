using System.Net.Http;

namespace Orleans.Segments.Push.Delivery;

internal static class RetryAfterHeader
{
    /// <summary>The pause a response's <c>Retry-After</c> asks for (seconds or an HTTP date), or null.</summary>
    public static TimeSpan? Of(HttpResponseMessage response, DateTimeOffset now) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date > now ? date - now : TimeSpan.Zero,
        _ => null,
    };
}
