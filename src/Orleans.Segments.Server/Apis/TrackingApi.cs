using System.Text;
using Microsoft.Extensions.Options;
using Orleans.Segments.Contracts;
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
    /// <summary>The short routes Segment's browser library posts single calls to (<c>/v1/t</c> for track…).</summary>
    private static readonly Dictionary<EventKind, string> ShortRoutes = new()
    {
        [EventKind.Track] = "t",
        [EventKind.Identify] = "i",
        [EventKind.Page] = "p",
        [EventKind.Screen] = "s",
        [EventKind.Alias] = "a",
        [EventKind.Group] = "g",
    };

    public static IEndpointRouteBuilder MapTrackingApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/v1").WithTags("Tracking");
        foreach (var kind in Enum.GetValues<EventKind>())
        {
            string name = kind.ToString().ToLowerInvariant();
            foreach (string route in new[] { name, ShortRoutes[kind] })
            {
                Ingest(api.MapPost($"/{route}", (HttpContext http, IngestHandler handler, CancellationToken ct) => handler.HandleAsync(http, kind, ct)), typeof(SegmentCall))
                    .WithName(route == name ? $"Ingest{kind}" : $"Ingest{kind}Short")
                    .WithSummary(route == name ? $"Records a Segment '{name}' call." : $"Records a Segment '{name}' call (the route analytics.js posts to).");
            }
        }

        // Why: /v1/b is where the mobile SDKs and analytics-next's batching post; /v1/import is Segment's historical alias.
        foreach (string route in new[] { "batch", "b", "import" })
        {
            Ingest(api.MapPost($"/{route}", (HttpContext http, IngestHandler handler, CancellationToken ct) => handler.HandleAsync(http, null, ct)), typeof(SegmentBatch))
                .WithName(route == "batch" ? "IngestBatch" : $"IngestBatch{char.ToUpperInvariant(route[0])}{route[1..]}")
                .WithSummary("Records up to 500 KB of Segment calls at once.").Example(ApiDocs.BatchExample);
        }

        api.MapPost("/m", SdkMetricsSink).WithName("SdkMetrics")
            .WithSummary("Accepts and discards the SDKs' own telemetry (off in the settings this server serves).")
            .WithMetadata(new IngestBodyDocumentation(typeof(System.Text.Json.Nodes.JsonObject)), new ApiKeyRequirement(null))
            .Answers<IngestResponse>().Problems(StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType);
        return routes;
    }

    /// <summary>
    /// The SDKs' telemetry is Segment's business, not the app's: read (bounded) and dropped, so an SDK configured to
    /// send it does not log errors.
    /// </summary>
    private static async Task<IResult> SdkMetricsSink(HttpContext http, CancellationToken ct)
    {
        IngestCors.AllowReadingErrors(http);
        var read = await RequestBody.ReadAsync(http.Request, 64 * 1024, ct);
        return read.IsOk ? Results.Ok(new IngestResponse(true)) : Problems.ForBody(http, read, "The telemetry body may be at most 64 KB.");
    }

    /// <summary>
    /// The body is read as JSON whatever its content type (analytics.js sends text/plain to avoid a preflight), so
    /// the routes declare no content type to match; the document lists what SDKs send.
    /// </summary>
    private static RouteHandlerBuilder Ingest(RouteHandlerBuilder route, Type body) => route
        .WithMetadata(new IngestBodyDocumentation(body), new ApiKeyRequirement(OpenApiDocs.WriteKey))
        .Answers<IngestResponse>()
        .Problems(
            StatusCodes.Status400BadRequest,
            StatusCodes.Status401Unauthorized,
            StatusCodes.Status403Forbidden,
            StatusCodes.Status413PayloadTooLarge,
            StatusCodes.Status415UnsupportedMediaType,
            StatusCodes.Status429TooManyRequests,
            StatusCodes.Status503ServiceUnavailable);
}

/// <summary>
/// Marks an ingestion route, whose body is JSON under any content type, for the OpenAPI document: the route cannot
/// declare its content types (routing would then refuse the others with 415), so the document's transformer adds
/// the body from this (<see cref="OpenApiDocs"/>).
/// </summary>
public sealed record IngestBodyDocumentation(Type Body);

/// <summary>Reads, authenticates, validates and routes one tracking request.</summary>
public sealed partial class IngestHandler(
    AppCatalog catalog,
    EventRouter router,
    IOptions<IngestionLimits> limits,
    TimeProvider time,
    SegmentsMetrics metrics,
    WriteKeyLimiter writeKeyLimiter,
    IngestActivity activity,
    ILogger<IngestHandler> logger)
{
    private static readonly IngestResponse Accepted = new(true);
    private readonly SegmentMessageParser parser = new(limits.Value);

    /// <summary>Handles <c>/v1/{kind}</c>, or <c>/v1/batch</c> when <paramref name="kind"/> is null.</summary>
    public async Task<IResult> HandleAsync(HttpContext http, EventKind? kind, CancellationToken cancellationToken)
    {
        int limit = kind is null ? limits.Value.MaxBatchBytes : limits.Value.MaxMessageBytes;
        var read = await RequestBody.ReadAsync(http.Request, limit, cancellationToken);
        IngestCors.AllowReadingErrors(http);
        if (!read.IsOk)
        {
            return Problems.ForBody(http, read, kind is null
                ? $"A batch may be at most {limit / 1024} KB."
                : $"A single message may be at most {limit / 1024} KB; send larger volumes to /v1/batch.");
        }

        var body = read.Body;
        var now = time.GetUtcNow().UtcDateTime;
        var parsed = kind is { } k ? parser.ParseSingle(body, k, now) : parser.ParseBatch(body, now);

        // Why: a body that is not JSON at all cannot carry the write key mobile SDKs put in it; say what is wrong
        // with it rather than that the key is missing, since it reveals nothing of our format.
        if (!parsed.IsValid && parsed.Errors[0].StartsWith("body: ", StringComparison.Ordinal) && string.IsNullOrEmpty(http.Request.Headers.Authorization))
        {
            metrics.MalformedRequest("malformed_json");
            return Problems.BadRequest($"The body could not be read, so nothing in it was applied: {parsed.Errors[0]["body: ".Length..]}", parsed.Errors);
        }

        // Why: authenticate before reporting validation errors, so an unknown caller learns nothing of the format.
        var (caller, authError) = Authenticate(http, parsed.WriteKey);
        if (authError is not null) return authError;
        if (IngestCors.Check(http, caller!.AppId) is { } refused) return refused;
        if (writeKeyLimiter.Acquire(http, caller.AppId) is { } limited) return limited;
        if (!parsed.IsValid)
        {
            if (parsed.Errors[0].StartsWith("body: ", StringComparison.Ordinal)) metrics.MalformedRequest("malformed_json");
            return Problems.BadRequest($"{parsed.Errors.Count} problem(s) found; nothing in this request was applied.", parsed.Errors);
        }

        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            var summary = await router.RouteAsync(caller!.AppId, parsed.Messages);
            metrics.IngestDuration(caller.AppId, System.Diagnostics.Stopwatch.GetElapsedTime(started), succeeded: true);
            metrics.EventsIngested(caller.AppId, summary.Applied, summary.Duplicates);
            activity.Add(caller.AppId, summary.Applied);
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
