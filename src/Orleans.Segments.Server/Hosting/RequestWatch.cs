namespace Orleans.Segments.Server.Hosting;

/// <summary>
/// Counts the requests in flight and remembers when one last finished, at the cost of two interlocked operations
/// per request, so readiness can tell a busy process (requests finish) from a stuck one (requests wait, none finish).
/// </summary>
public sealed class RequestWatch(TimeProvider time)
{
    private long inFlight;
    private long lastFinished = time.GetTimestamp();

    public long InFlight => Interlocked.Read(ref inFlight);

    /// <summary>How long ago a request last finished.</summary>
    public TimeSpan SinceLastFinished => time.GetElapsedTime(Interlocked.Read(ref lastFinished));

    /// <summary>Middleware: counts every request in and out.</summary>
    public async Task Track(HttpContext http, RequestDelegate next)
    {
        Interlocked.Increment(ref inFlight);
        try
        {
            await next(http);
        }
        finally
        {
            Interlocked.Decrement(ref inFlight);
            Interlocked.Exchange(ref lastFinished, time.GetTimestamp());
        }
    }
}
