using System.Net.Http;
using Orleans.Segments.Push.Hosting;

namespace Orleans.Segments.Push.Delivery;

/// <summary>
/// The retry loop both senders share: permanent answers end it, transient ones are retried with exponential
/// backoff and jitter (or after the provider's <c>Retry-After</c>) a bounded number of times, and an expired
/// credential is refreshed once. Delays run on the <see cref="TimeProvider"/>, so tests advance fake time.
/// </summary>
internal static class DeliveryAttempts
{
    /// <summary>The HTTP/2 error code of a stream the server closed before processing it (RFC 9113, section 8.7).</summary>
    private const long RefusedStream = 0x7;

    /// <param name="send">Makes one request; given the 1-based attempt number.</param>
    /// <param name="refreshCredential">Called once on <see cref="AttemptKind.AuthExpired"/>; false when no fresher credential may be had yet.</param>
    public static async Task<PushOutcome> RunAsync(
        Func<int, CancellationToken, Task<Attempt>> send,
        Func<CancellationToken, ValueTask<bool>> refreshCredential,
        RetryOptions retry,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        int attempts = 0;
        int transientFailures = 0;
        int refusals = 0;
        bool refreshed = false;
        while (true)
        {
            attempts++;
            var attempt = await SendOnce(send, attempts, cancellationToken);
            switch (attempt.Kind)
            {
                case AttemptKind.Delivered:
                    return new Delivered(attempt.ProviderId!, attempts);

                case AttemptKind.Permanent:
                    return new PermanentFailure(attempt.Reason, attempt.TokenDead, attempt.DeadSince, attempts);

                case AttemptKind.Refused:
                    // Why: a refused stream was never processed, so it is resent at once: it is how a fresh HTTP/2
                    // connection says "fewer streams" before its SETTINGS frame reached us, not a sign of overload.
                    if (++refusals > retry.MaxAttempts) return new TransientFailure(attempt.Reason, attempts);
                    continue;

                case AttemptKind.Ambiguous:
                    return new TransientFailure(attempt.Reason, attempts, MayHaveReached: true);

                case AttemptKind.AuthExpired:
                    // Why: one refresh per send; a credential refused twice is a configuration problem, not a race.
                    if (!refreshed && await refreshCredential(cancellationToken))
                    {
                        refreshed = true;
                        continue;
                    }

                    return new TransientFailure(attempt.Reason, attempts);

                default:
                    transientFailures++;
                    if (transientFailures >= retry.MaxAttempts) return new TransientFailure(attempt.Reason, attempts, attempt.RetryAfter);
                    if (attempt.RetryAfter is { } asked && asked > retry.MaxRetryAfter)
                    {
                        // Why: a provider asking for a long pause is better served by the caller rescheduling than by a held send.
                        return new TransientFailure(attempt.Reason, attempts, asked);
                    }

                    await Task.Delay(DelayBefore(transientFailures, attempt.RetryAfter, retry), time, cancellationToken);
                    break;
            }
        }
    }

    /// <summary>The pause after the <paramref name="failures"/>th transient failure: the provider's wish, or backoff with jitter.</summary>
    public static TimeSpan DelayBefore(int failures, TimeSpan? retryAfter, RetryOptions retry)
    {
        if (retryAfter is { } asked && asked > TimeSpan.Zero) return asked;
        double ceiling = Math.Min(retry.MaxDelay.TotalMilliseconds, retry.BaseDelay.TotalMilliseconds * Math.Pow(2, failures - 1));
        // Why: "equal jitter" keeps at least half the backoff while spreading retries of many sends apart.
        return TimeSpan.FromMilliseconds(ceiling / 2 + Random.Shared.NextDouble() * ceiling / 2);
    }

    private static async Task<Attempt> SendOnce(Func<int, CancellationToken, Task<Attempt>> send, int attempt, CancellationToken cancellationToken)
    {
        try
        {
            return await send(attempt, cancellationToken);
        }
        catch (HttpRequestException e) when (e.HttpRequestError is HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError or HttpRequestError.SecureConnectionError)
        {
            // Why: no connection was made, so the provider cannot have the notification: safe to retry.
            return new Attempt(AttemptKind.Transient, $"connection failed ({e.HttpRequestError})");
        }
        catch (HttpRequestException e) when (e.InnerException is HttpProtocolException { ErrorCode: RefusedStream })
        {
            return new Attempt(AttemptKind.Refused, "the provider refused the stream before processing it (HTTP/2 REFUSED_STREAM)");
        }
        catch (HttpRequestException e)
        {
            return new Attempt(AttemptKind.Ambiguous, $"no answer from the provider ({e.HttpRequestError}); not retried, it may have been delivered");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new Attempt(AttemptKind.Ambiguous, "the provider did not answer in time; not retried, it may have been delivered");
        }
    }
}
