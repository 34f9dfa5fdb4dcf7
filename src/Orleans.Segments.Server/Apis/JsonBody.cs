using System.Text.Json;
using Orleans.Segments.Server.Ingestion;

namespace Orleans.Segments.Server.Apis;

/// <summary>Reads small JSON object bodies of the management API with clear errors.</summary>
public static class JsonBody
{
    public static async Task<(JsonElement? Body, IResult? Error)> ReadObject(HttpContext http, int maxBytes, CancellationToken ct)
    {
        var (outcome, bytes) = await RequestBody.ReadAsync(http.Request, maxBytes, ct);
        if (outcome == RequestBody.Outcome.TooLarge) return (null, Problems.TooLarge($"The body may be at most {maxBytes / 1024} KB."));
        if (outcome == RequestBody.Outcome.BadEncoding) return (null, Problems.UnsupportedMediaType("The body must be JSON."));
        try
        {
            using var document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 16 });
            if (document.RootElement.ValueKind != JsonValueKind.Object) return (null, Problems.BadRequest("The body must be a JSON object."));
            return (document.RootElement.Clone(), null);
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException)
        {
            return (null, Problems.BadRequest($"Malformed JSON: {ex.Message}"));
        }
    }

    /// <summary>A string field, or null when absent; a field of another type is treated as absent.</summary>
    public static string? String(JsonElement body, string name) =>
        body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
