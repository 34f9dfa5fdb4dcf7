using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
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

    /// <summary>The largest body of a status command (launch, pause, archive…).</summary>
    private const int CommandBodyBytes = 4 * 1024;

    /// <summary>Reads the request's body as <typeparamref name="T"/>; the error is the 4xx to answer.</summary>
    public static async Task<(T? Body, IResult? Error)> ReadAsync<T>(HttpContext http, JsonTypeInfo<T> type, int maxBytes, string what, CancellationToken ct, int maxDepth = JsonBody.MaxDepth)
        where T : class
    {
        var (bytes, readError) = await JsonBody.ReadBytes(http, maxBytes, ct);
        if (readError is not null) return (null, readError);
        if (TryRead(bytes, type, maxDepth) is { } fast) return (fast, null);

        var (element, error) = JsonBody.Parse(http, bytes, maxDepth);
        if (error is not null) return (null, error);
        var errors = new List<string>();
        var body = Read(element!.Value, type, what, errors);
        return errors.Count == 0 ? (body, null) : (null, Problems.BadRequest($"The {what} is invalid.", errors));
    }

    /// <summary>
    /// Reads a definition's body (a campaign's, a journey's): the contract when the body is exactly of its shape,
    /// else the parsed JSON, for a reader that goes on checking the fields it can read so that one answer names every
    /// problem. The error is the 4xx to answer (too large, not JSON, badly encoded).
    /// </summary>
    public static async Task<(T? Contract, JsonElement? Json, IResult? Error)> ReadDefinitionAsync<T>(HttpContext http, JsonTypeInfo<T> type, int maxBytes, CancellationToken ct)
        where T : class
    {
        var (bytes, readError) = await JsonBody.ReadBytes(http, maxBytes, ct);
        if (readError is not null) return (null, null, readError);
        if (TryRead(bytes, type) is { } contract) return (contract, null, null);
        var (json, error) = JsonBody.Parse(http, bytes);
        return (null, json, error);
    }

    /// <summary>
    /// The optional body of a status command (<c>{"reason"}</c>, shown as the status reason): null when there is none;
    /// the error is the 4xx to answer, for a body too large, not of that shape, or a reason not of 1 to 500 characters.
    /// </summary>
    public static async Task<(string? Reason, IResult? Error)> ReadCommandReasonAsync(HttpContext http, CancellationToken ct)
    {
        var (body, error) = await ReadOptionalAsync(http, ContractsJson.Default.CampaignCommandInput, CommandBodyBytes, "command", new CampaignCommandInput(), ct);
        if (error is not null) return (null, error);
        return body.Reason is { Length: 0 or > 500 } ? (null, Problems.BadRequest("'reason' is 1 to 500 characters.")) : (body.Reason, null);
    }

    /// <summary>A body that may be left out: <paramref name="empty"/> when the request has none, else read as <see cref="ReadAsync{T}"/> does.</summary>
    public static async Task<(T Body, IResult? Error)> ReadOptionalAsync<T>(HttpContext http, JsonTypeInfo<T> type, int maxBytes, string what, T empty, CancellationToken ct)
        where T : class
    {
        if (http.Request.ContentLength is null or 0 && http.Request.Headers.TransferEncoding.Count == 0) return (empty, null);
        var (body, error) = await ReadAsync(http, type, maxBytes, what, ct);
        return (body ?? empty, error);
    }

    /// <summary>
    /// The common case, read straight from the bytes: a well-encoded body that is exactly of the contract's shape.
    /// Null for anything else, which the full reading (<see cref="JsonBody.Parse"/>, then <see cref="Read{T}"/>)
    /// answers with its reasons. The contracts hold no free-form JSON, so a body the serializer accepts is no
    /// deeper than the contract itself, far within <paramref name="maxDepth"/>.
    /// </summary>
    public static T? TryRead<T>(ReadOnlyMemory<byte> body, JsonTypeInfo<T> type, int maxDepth = JsonBody.MaxDepth)
        where T : class
    {
        if (Domain.Json.JsonInput.FindEncodingProblem(body.Span, maxDepth) is not null) return null;
        try
        {
            return JsonSerializer.Deserialize(body.Span, type);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// Reads an already parsed object, reporting every field of the wrong type or unknown, not only the first: when
    /// System.Text.Json refuses the object, the object is walked against the contract's metadata to find every such
    /// member, each is recorded with its path and left out, and the rest is read again. The answer is what could be
    /// read (so its own checks can add their errors), or null when the object itself could not be.
    /// </summary>
    public static T? Read<T>(JsonElement element, JsonTypeInfo<T> type, string what, List<string> errors)
        where T : class
    {
        try
        {
            return element.Deserialize(type);
        }
        catch (JsonException first)
        {
            var copy = JsonNode.Parse(element.GetRawText());
            var refused = new List<(string Path, string Problem)>();
            Walk(element, type, "$", null, what, refused);
            if (refused.Count == 0) refused.Add((first.Path ?? "$", Describe(first, type, what)));
            foreach (var (path, problem) in refused.Take(MaxErrors))
            {
                if (!errors.Contains(problem)) errors.Add(problem);
                if (!Remove(copy, path)) return null;
            }

            try
            {
                return copy.Deserialize(type);
            }
            catch (JsonException ex)
            {
                // Why: what the walk cannot see (a number too large for its field) is reported as the serializer says.
                string problem = Describe(ex, type, what);
                if (!errors.Contains(problem)) errors.Add(problem);
                return null;
            }
        }
    }

    /// <summary>Every unknown member and every value of the wrong kind under <paramref name="element"/>, with its path.</summary>
    private static void Walk(JsonElement element, JsonTypeInfo info, string path, string? parent, string what, List<(string Path, string Problem)> refused)
    {
        if (refused.Count >= MaxErrors || element.ValueKind == JsonValueKind.Null) return;
        if (!Fits(element.ValueKind, info))
        {
            refused.Add((path, $"{Path(path)}: must be {Kind(info, parent)}."));
            return;
        }

        if (info.Kind == JsonTypeInfoKind.Object && element.ValueKind == JsonValueKind.Object)
        {
            foreach (var member in element.EnumerateObject())
            {
                string memberPath = Member(path, member.Name);
                var property = info.Properties.FirstOrDefault(p => p.Name == member.Name);
                if (property is not null) Walk(member.Value, info.Options.GetTypeInfo(property.PropertyType), memberPath, member.Name, what, refused);
                else if (info.UnmappedMemberHandling == JsonUnmappedMemberHandling.Disallow) refused.Add((memberPath, $"{Path(memberPath)}: not a field of {Article(what)}."));
            }
        }
        else if (info.Kind == JsonTypeInfoKind.Dictionary && element.ValueKind == JsonValueKind.Object)
        {
            var values = info.Options.GetTypeInfo(info.ElementType!);
            foreach (var member in element.EnumerateObject()) Walk(member.Value, values, Member(path, member.Name), parent, what, refused);
        }
        else if (info.Kind == JsonTypeInfoKind.Enumerable && element.ValueKind == JsonValueKind.Array)
        {
            var items = info.Options.GetTypeInfo(info.ElementType!);
            int index = 0;
            foreach (var item in element.EnumerateArray()) Walk(item, items, $"{path}[{index++}]", parent, what, refused);
        }
    }

    /// <summary>A member's path as System.Text.Json writes it: <c>$.a.b</c>, or <c>$.a['b c']</c> for other names.</summary>
    private static string Member(string path, string name) =>
        name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') ? $"{path}.{name}" : $"{path}['{name}']";

    private static bool Fits(JsonValueKind kind, JsonTypeInfo info)
    {
        var type = Nullable.GetUnderlyingType(info.Type) ?? info.Type;
        if (type == typeof(string)) return kind == JsonValueKind.String;
        if (type == typeof(bool)) return kind is JsonValueKind.True or JsonValueKind.False;
        if (type == typeof(int) || type == typeof(long) || type == typeof(double) || type == typeof(float) || type == typeof(decimal)) return kind == JsonValueKind.Number;
        if (type == typeof(JsonObject)) return kind == JsonValueKind.Object;
        if (type == typeof(JsonArray)) return kind == JsonValueKind.Array;
        return info.Kind switch
        {
            JsonTypeInfoKind.Object when type != typeof(JsonNode) && type != typeof(JsonElement) => kind == JsonValueKind.Object,
            JsonTypeInfoKind.Dictionary => kind == JsonValueKind.Object,
            JsonTypeInfoKind.Enumerable => kind == JsonValueKind.Array,
            _ => true,
        };
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

        return Kind(info, parent);
    }

    /// <summary>What a value of the contract's type is, in words; a string in <c>data</c> says why it must be one.</summary>
    private static string Kind(JsonTypeInfo info, string? parent)
    {
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
