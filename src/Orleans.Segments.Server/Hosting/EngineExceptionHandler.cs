using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;

namespace Orleans.Segments.Server.Hosting;

/// <summary>
/// Turns failures that escape an endpoint into problem details: a malformed request is the client's 4xx, a
/// cluster or storage failure is a 503 with Retry-After (nothing was acknowledged), anything else a 500.
/// </summary>
public sealed partial class EngineExceptionHandler(
    IProblemDetailsService problems,
    Orleans.Segments.Hosting.SegmentsMetrics metrics,
    ILogger<EngineExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancellationToken)
    {
        (int status, string title, string detail) = exception switch
        {
            BadHttpRequestException bad => (bad.StatusCode, "The request is invalid.", bad.Message),
            _ when Unreadable(exception) is { } unreadable =>
                (StatusCodes.Status500InternalServerError, "Stored data could not be read.",
                 $"The stored {unreadable.StateType} this request needs could not be read (corrupt, or written by a newer version); nothing was changed, the record was left as it is, and it is counted in segments.storage.unreadable_states for the operator."),
            _ when IsUnavailable(exception) =>
                (StatusCodes.Status503ServiceUnavailable, "Try again shortly.", "The engine is busy or a silo is unavailable; nothing was changed."),
            _ => (StatusCodes.Status500InternalServerError, "An unexpected error occurred.", "The error was logged."),
        };

        // Why: a client's malformed request is counted, not logged with a stack trace; only our failures are logged.
        if (status >= 500) LogFailure(http.Request.Path, status, exception);
        else metrics.MalformedRequest("bad_request");
        if (status == StatusCodes.Status503ServiceUnavailable) http.Response.Headers.RetryAfter = "5";
        http.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
            Exception = exception,
        });
    }

    /// <summary>A stored state that could not be read, however Orleans wrapped it on its way here.</summary>
    private static Orleans.Segments.Hosting.UnreadableStateException? Unreadable(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is Orleans.Segments.Hosting.UnreadableStateException unreadable) return unreadable;
        }

        return null;
    }

    /// <summary>
    /// A silo, the cluster or storage (Redis, Azure Storage) could not do it now: nothing was acknowledged and a retry may
    /// succeed, so the answer is 503, never a 500, whichever layer wrapped the failure.
    /// </summary>
    public static bool IsUnavailable(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is TimeoutException or OrleansException or OperationCanceledException or StackExchange.Redis.RedisException
                or Orleans.Persistence.Redis.RedisStorageException or Azure.RequestFailedException or HttpRequestException)
            {
                return true;
            }

            // Why: Azure's SDK reports a request that failed on every retry as an AggregateException of the attempts.
            if (e is AggregateException aggregate && aggregate.InnerExceptions.Any(IsUnavailable)) return true;
        }

        return false;
    }

    [LoggerMessage(EventId = 400, Level = LogLevel.Error, Message = "Request to {Path} failed with {Status}")]
    private partial void LogFailure(string path, int status, Exception exception);
}
