using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Orleans.Segments.Contracts;

namespace Orleans.Segments.Server.Apis;

/// <summary>
/// Reads a request body into its contract record with System.Text.Json's generated serializer, and turns what it
/// refuses into the API's messages with the field's path: <c>priority: must be a string.</c>,
/// <c>cap.windw: not a field of a campaign.</c>. Every way the bytes themselves can be wrong (too large, badly
/// encoded, not UTF-8, malformed, not an object) is answered first, as for every body.
/// </summary>
public static class ContractBody
{
    /// <summary>The most field errors one body reports.</summary>
    public const int MaxErrors = 20;

    /// <summary>Reads the request's body as <typeparamref name="T"/>; the error is the 4xx to answer.</summary>
    public static async Task<(T? Body, IResult? Error)> ReadAsync<T>(HttpContext http, JsonTypeInfo<T> type, int maxBytes, string what, CancellationToken ct, int maxDepth = JsonBody.MaxDepth)
        where T : class
    {
        var (element, error) = await JsonBody.ReadObject(http, maxBytes, ct, maxDepth);
        if (error is not null) return (null, error);
        var errors = new List<string>();
        var body = Read(element!.Value, type, what, errors);
        return errors.Count == 0 ? (body, null) : (null, Problems.BadRequest($"The {what} is invalid.", errors));
    }

    /// <summary>
    /// Reads an already parsed object, reporting every field of the wrong type or unknown, not only the first: each
    /// refused member is recorded with its path and left out, and the rest read again. The answer is what could be
    /// read (so its own checks can add their errors), or null when the object itself could not be.
    /// </summary>
    public static T? Read<T>(JsonElement element, JsonTypeInfo<T> type, string what, List<string> errors)
        where T : class
    {
        JsonNode? copy = null;
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                return copy is null ? element.Deserialize(type) : copy.Deserialize(type);
            }
            catch (JsonException ex)
            {
                string problem = Describe(ex, type, what);
                if (!errors.Contains(problem)) errors.Add(problem);
                copy ??= JsonNode.Parse(element.GetRawText());
                if (attempt + 1 >= MaxErrors || !Remove(copy, ex.Path)) return null;
            }
        }
    }

    /// <summary>Leaves out the member at a path System.Text.Json reported (<c>$.variants[0].percent</c>, <c>$.data['a.b']</c>).</summary>
    private static bool Remove(JsonNode? root, string? jsonPath)
    {
        var steps = Members(jsonPath).ToList();
        if (steps.Count == 0) return false;
        JsonNode? parent = root;
        foreach (var step in steps[..^1])
        {
            parent = step.Index is { } i ? parent is JsonArray a && i < a.Count ? a[i] : null : parent is JsonObject o ? o[step.Name!] : null;
            if (parent is null) return false;
        }

        var last = steps[^1];
        if (last.Index is { } index)
        {
            if (parent is not JsonArray array || index >= array.Count || array[index] is null) return false;

            // Why: removing an element would move the ones after it to paths that no longer match their errors.
            array[index] = null;
            return true;
        }

        return parent is JsonObject obj && obj.Remove(last.Name!);
    }

    private static IEnumerable<(string? Name, int? Index)> Members(string? jsonPath)
    {
        if (jsonPath is null || !jsonPath.StartsWith('$')) yield break;
        int i = 1;
        while (i < jsonPath.Length)
        {
            if (jsonPath[i] == '.')
            {
                int end = jsonPath.IndexOfAny(['.', '['], i + 1);
                if (end < 0) end = jsonPath.Length;
                yield return (jsonPath[(i + 1)..end], null);
                i = end;
            }
            else if (jsonPath.AsSpan(i).StartsWith("['"))
            {
                int end = jsonPath.IndexOf("']", i + 2, StringComparison.Ordinal);
                if (end < 0) yield break;
                yield return (jsonPath[(i + 2)..end], null);
                i = end + 2;
            }
            else if (jsonPath[i] == '[')
            {
                int end = jsonPath.IndexOf(']', i);
                if (end < 0 || !int.TryParse(jsonPath.AsSpan(i + 1, end - i - 1), out int index)) yield break;
                yield return (null, index);
                i = end + 1;
            }
            else
            {
                yield break;
            }
        }
    }

    /// <summary>The message of a refused body: the field's path and what it must be.</summary>
    public static string Describe(JsonException ex, JsonTypeInfo root, string what)
    {
        string path = Path(ex.Path);
        if (ex.Message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal)) return $"{path}: not a field of {Article(what)}.";
        if (ex.Message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal) && Expected(root, ex.Path) is { } expected)
        {
            return $"{path}: must be {expected}.";
        }

        string reason = ex.Message.Split(" Path:", 2)[0].TrimEnd('.');
        return $"{path}: {reason}.";
    }

    /// <summary><c>$.cap.limit</c> as <c>cap.limit</c>; the root as <c>body</c>.</summary>
    private static string Path(string? jsonPath) =>
        jsonPath is null or "$" ? "body" : jsonPath.StartsWith("$.", StringComparison.Ordinal) ? jsonPath[2..] : jsonPath.TrimStart('$');

    private static string Article(string what) => what.Length > 0 && "aeiou".Contains(what[0]) ? $"an {what}" : $"a {what}";

    /// <summary>What the member at <paramref name="jsonPath"/> takes, found in the contract's own metadata.</summary>
    private static string? Expected(JsonTypeInfo root, string? jsonPath)
    {
        if (jsonPath is null) return null;
        var info = root;
        string? parent = null;
        foreach (string step in Steps(jsonPath))
        {
            Type? next = info.Kind switch
            {
                JsonTypeInfoKind.Object => info.Properties.FirstOrDefault(p => p.Name == step)?.PropertyType,
                JsonTypeInfoKind.Enumerable or JsonTypeInfoKind.Dictionary => info.ElementType,
                _ => null,
            };
            if (next is null) return null;
            parent = info.Kind == JsonTypeInfoKind.Dictionary ? parent : step;
            info = root.Options.GetTypeInfo(next);
        }

        var type = Nullable.GetUnderlyingType(info.Type) ?? info.Type;
        string kind = type == typeof(string) ? "a string"
            : type == typeof(bool) ? "true or false"
            : type == typeof(int) || type == typeof(long) ? "an integer"
            : type == typeof(double) || type == typeof(float) || type == typeof(decimal) ? "a number"
            : info.Kind == JsonTypeInfoKind.Enumerable ? "an array"
            : info.Kind is JsonTypeInfoKind.Object or JsonTypeInfoKind.Dictionary || type == typeof(JsonObject) ? "an object"
            : "of another type";

        // Why: the one place a string is required for a reason the caller may not guess.
        return parent == "data" && type == typeof(string) ? "a string (FCM data values are strings)" : kind;
    }

    private static IEnumerable<string> Steps(string jsonPath)
    {
        foreach (string part in jsonPath.TrimStart('$').Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            int bracket = part.IndexOf('[');
            if (bracket < 0)
            {
                yield return part;
                continue;
            }

            if (bracket > 0) yield return part[..bracket];
            for (int i = part.IndexOf('[', bracket); i >= 0; i = part.IndexOf('[', i + 1)) yield return "[]";
        }
    }
}
