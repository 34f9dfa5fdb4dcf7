using System.Text.Json;
using Orleans.Segments.Domain.Json;
using Orleans.Segments.Server.Ingestion;

namespace Orleans.Segments.Server.Apis;

/// <summary>Reads small JSON object bodies of the management API with clear errors.</summary>
public static class JsonBody
{
    /// <summary>The deepest nesting a management body may have.</summary>
    public const int MaxDepth = 16;

    /// <summary>The body's bytes, decompressed and within <paramref name="maxBytes"/>, or the 4xx to answer.</summary>
    public static async Task<(ReadOnlyMemory<byte> Body, IResult? Error)> ReadBytes(HttpContext http, int maxBytes, CancellationToken ct)
    {
        var read = await RequestBody.ReadAsync(http.Request, maxBytes, ct);
        return read.IsOk ? (read.Body, null) : (default, Problems.ForBody(http, read, $"The body may be at most {maxBytes / 1024} KB."));
    }

    /// <summary>The body as one JSON object, or why it is not one (badly encoded, a lone surrogate, malformed, not an object).</summary>
    public static (JsonElement? Body, IResult? Error) Parse(HttpContext http, ReadOnlyMemory<byte> body, int maxDepth = MaxDepth)
    {
        if (!JsonInput.TryParse(body, maxDepth, out var document, out string? error))
        {
            return (null, Problems.MalformedJson(http, error!.StartsWith("malformed JSON", StringComparison.Ordinal)
                ? $"Malformed JSON: {error["malformed JSON (".Length..^1]}"
                : $"The body is {error}"));
        }

        using (document)
        {
            if (document!.RootElement.ValueKind != JsonValueKind.Object) return (null, Problems.BadRequest("The body must be a JSON object."));
            return (document.RootElement.Clone(), null);
        }
    }
}
