using System.Text;
using Microsoft.Extensions.Options;
using Orleans.Segments.Domain.Events;
using Orleans.Segments.Domain.Ingestion;
using Orleans.Segments.Hosting;
using Orleans.Segments.Server.Apps;
using Orleans.Segments.Server.Ingestion;

namespace Orleans.Segments.Server.Apis;

/// <summary>
/// The Segment HTTP tracking API: <c>/v1/track</c>, <c>identify</c>, <c>page</c>, <c>screen</c>, <c>alias</c>,
/// <c>group</c> and <c>batch</c>, authenticated with a write key, answering <c>200 {"success":true}</c> once the
/// events are durable.
/// </summary>
public static partial class TrackingApi
{
    public static IEndpointRouteBuilder MapTrackingApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/v1").WithTags("Tracking");
        foreach (var kind in Enum.GetValues<EventKind>())
        {
            string name = kind.ToString().ToLowerInvariant();
            api.MapPost($"/{name}", (HttpContext http, IngestHandler handler, CancellationToken ct) => handler.HandleAsync(http, kind, ct))
                .WithName($"Ingest{kind}")
                .WithSummary($"Records a Segment '{name}' call.")
                .Accepts<object>("application/json")
                .Produces<IngestResponse>()
                .ProducesProblem(StatusCodes.Status400BadRequest)
                .ProducesProblem(StatusCodes.Status401Unauthorized)
                .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
                .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        }

        api.MapPost("/batch", (HttpContext http, IngestHandler handler, CancellationToken ct) => handler.HandleAsync(http, null, ct))
            .WithName("IngestBatch")
            .WithSummary("Records up to 500 KB of Segment calls at once.")
            .Accepts<object>("application/json")
            .Produces<IngestResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return routes;
    }
}

/// <summary>Segment's answer to an accepted call.</summary>
public sealed record IngestResponse(bool Success);

/// <summary>Reads, authenticates, validates and routes one tracking request.</summary>
public sealed partial class IngestHandler(
    AppCatalog catalog,
    EventRouter router,
    IOptions<IngestionLimits> limits,
    TimeProvider time,
    SegmentsMetrics metrics,
    ILogger<IngestHandler> logger)
{
    private static readonly IngestResponse Accepted = new(true);
    private readonly SegmentMessageParser parser = new(limits.Value);

    /// <summary>Handles <c>/v1/{kind}</c>, or <c>/v1/batch</c> when <paramref name="kind"/> is null.</summary>
    public async Task<IResult> HandleAsync(HttpContext http, EventKind? kind, CancellationToken cancellationToken)
    {
        int limit = kind is null ? limits.Value.MaxBatchBytes : limits.Value.MaxMessageBytes;
        var (outcome, body) = await RequestBody.ReadAsync(http.Request, limit, cancellationToken);
        if (outcome == RequestBody.Outcome.TooLarge)
        {
            return Problems.TooLarge(kind is null
                ? $"A batch may be at most {limit / 1024} KB."
                : $"A single message may be at most {limit / 1024} KB; send larger volumes to /v1/batch.");
        }

        if (outcome == RequestBody.Outcome.BadEncoding)
        {
            return Problems.UnsupportedMediaType("The body must be JSON, plain or with Content-Encoding: gzip.");
        }

        var now = time.GetUtcNow().UtcDateTime;
        var parsed = kind is { } k ? parser.ParseSingle(body, k, now) : parser.ParseBatch(body, now);

        // Why: authenticate before reporting validation errors, so an unknown caller learns nothing of the format.
        var (caller, authError) = Authenticate(http, parsed.WriteKey);
        if (authError is not null) return authError;
        if (!parsed.IsValid)
        {
            return Problems.BadRequest($"{parsed.Errors.Count} problem(s) found; nothing in this request was applied.", parsed.Errors);
        }

        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            var summary = await router.RouteAsync(caller!.AppId, parsed.Messages);
            metrics.IngestDuration(caller.AppId, System.Diagnostics.Stopwatch.GetElapsedTime(started), succeeded: true);
            metrics.EventsIngested(caller.AppId, summary.Applied, summary.Duplicates);
            LogIngested(caller.AppId, summary.Applied, summary.Duplicates, summary.Users);
            return Results.Ok(Accepted);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            metrics.IngestDuration(caller!.AppId, System.Diagnostics.Stopwatch.GetElapsedTime(started), succeeded: false);
            LogIngestFailed(caller!.AppId, ex);
            return Problems.Unavailable(http, "The events could not be stored and were not acknowledged; retry with the same messageIds.");
        }
    }

    private (AppCaller? Caller, IResult? Error) Authenticate(HttpContext http, string? bodyKey)
    {
        string? key = bodyKey;
        string? header = http.Request.Headers.Authorization;
        if (header is not null && header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            if (!TryDecodeBasicUser(header["Basic ".Length..].Trim(), out var user))
            {
                return (null, Problems.Unauthorized("The Authorization header is not valid HTTP Basic."));
            }

            key = user;
        }

        if (string.IsNullOrEmpty(key))
        {
            http.Response.Headers.WWWAuthenticate = "Basic realm=\"segments\"";
            return (null, Problems.Unauthorized("A write key is required: the HTTP Basic user name, or 'writeKey' in the body."));
        }

        var caller = catalog.Find(key);
        if (caller is null) return (null, Problems.Unauthorized("The write key is not known."));
        if (caller.Role != KeyRole.Write) return (null, Problems.Forbidden("Ingest with the app's write key, not its admin key."));
        return (caller, null);
    }

    private static bool TryDecodeBasicUser(string encoded, out string user)
    {
        user = "";
        if (encoded.Length > 1024) return false;
        Span<byte> buffer = stackalloc byte[768];
        if (!Convert.TryFromBase64String(encoded, buffer, out int written)) return false;
        string text = Encoding.UTF8.GetString(buffer[..written]);
        int colon = text.IndexOf(':');
        user = colon < 0 ? text : text[..colon];
        return true;
    }

    [LoggerMessage(EventId = 300, Level = LogLevel.Debug, Message = "Ingested {Applied} events ({Duplicates} retries dropped) for {Users} users of {AppId}")]
    private partial void LogIngested(string appId, int applied, int duplicates, int users);

    [LoggerMessage(EventId = 301, Level = LogLevel.Warning, Message = "Events for {AppId} could not be stored; answered 503")]
    private partial void LogIngestFailed(string appId, Exception exception);
}
