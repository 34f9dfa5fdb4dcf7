namespace Orleans.Segments.Server.Apis;

/// <summary>The error answers of the API, all RFC 9457 problem details with a reason a developer can act on.</summary>
public static class Problems
{
    public static IResult BadRequest(string detail, IEnumerable<string>? errors = null) =>
        Results.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: "The request is invalid.",
            extensions: errors is null ? null : new Dictionary<string, object?> { ["errors"] = errors.Take(100).ToArray() });

    public static IResult Unauthorized(string detail) =>
        Results.Problem(detail, statusCode: StatusCodes.Status401Unauthorized, title: "Authentication is required.");

    public static IResult Forbidden(string detail, string title = "The key may not do this.") =>
        Results.Problem(detail, statusCode: StatusCodes.Status403Forbidden, title: title);

    public static IResult NotFound(string detail) =>
        Results.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: "Not found.");

    public static IResult Conflict(string detail, IEnumerable<string> errors, string title = "It is in use.") =>
        Results.Problem(detail, statusCode: StatusCodes.Status409Conflict, title: title,
            extensions: new Dictionary<string, object?> { ["errors"] = errors.ToArray() });

    public static IResult TooLarge(string detail) =>
        Results.Problem(detail, statusCode: StatusCodes.Status413PayloadTooLarge, title: "The request is too large.");

    public static IResult UnsupportedMediaType(string detail) =>
        Results.Problem(detail, statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported content.");

    /// <summary>The answer to a body that could not be read (<see cref="Ingestion.RequestBody"/>).</summary>
    public static IResult ForBody(HttpContext http, Ingestion.RequestBody.Result read, string tooLarge)
    {
        var (reason, result) = read.Outcome switch
        {
            Ingestion.RequestBody.Outcome.TooLarge => ("too_large", TooLarge(tooLarge)),
            Ingestion.RequestBody.Outcome.UnsupportedEncoding => ("unsupported_encoding", UnsupportedMediaType(read.Reason!)),
            Ingestion.RequestBody.Outcome.CorruptEncoding => ("corrupt_encoding", BadRequest(read.Reason!)),
            _ => ("unreadable", BadRequest(read.Reason!)),
        };
        http.RequestServices.GetRequiredService<Orleans.Segments.Hosting.SegmentsMetrics>().MalformedRequest(reason);
        return result;
    }

    /// <summary>A body that is not JSON text (<see cref="Domain.Json.JsonInput"/>), counted like any unreadable body.</summary>
    public static IResult MalformedJson(HttpContext http, string detail)
    {
        http.RequestServices.GetRequiredService<Orleans.Segments.Hosting.SegmentsMetrics>().MalformedRequest("malformed_json");
        return BadRequest(detail);
    }

    /// <summary>The engine could not make the change durable: nothing was acknowledged, so the client should retry.</summary>
    public static IResult Unavailable(HttpContext http, string detail)
    {
        http.Response.Headers.RetryAfter = "5";
        return Results.Problem(detail, statusCode: StatusCodes.Status503ServiceUnavailable, title: "Try again shortly.");
    }
}
