using System.Diagnostics;
using System.IO.Compression;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Orleans.Segments.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Orleans.Segments.Server.Tests;

/// <summary>
/// Every route of the OpenAPI document, driven with generated hostile requests: wrong types in every field the
/// document or the API knows, broken encodings, huge and deeply nested bodies, hostile ids in the path,
/// templates and rules built to exhaust memory. Any 5xx, a request that hangs, or memory that keeps growing
/// fails the test, so the next route added is covered without anyone remembering to add it. A server of its
/// own, since some generated bodies are valid and change what they name, and run alone, so the memory it
/// measures is its own.
/// </summary>
[Collection(FuzzCollection.Name)]
public sealed class OpenApiFuzzTests(ServerFixture server, ITestOutputHelper output) : IClassFixture<ServerFixture>
{
    private const int RequestsPerOperation = 40;
    private const int Seed = 20261206;
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(20);
    /// <summary>How far the working set may rise while hostile bodies of megabytes are in flight (a Liquid loop took gigabytes).</summary>
    private const long PeakGrowthLimit = 1536L * 1024 * 1024;

    /// <summary>How much more the heap may hold after a full collection at the end than at the start.</summary>
    private const long RetainedGrowthLimit = 256L * 1024 * 1024;

    /// <summary>Routes that stream by design (the dashboard's live trace): their status is checked, not their end.</summary>
    private static readonly string[] Streams = ["/dashboard/Trace"];

    /// <summary>Field names of the API, beside those the document's schemas name.</summary>
    private static readonly string[] ApiFields =
    [
        "userId", "anonymousId", "previousId", "event", "name", "type", "timestamp", "sentAt", "messageId", "writeKey", "batch",
        "properties", "traits", "context", "integrations", "rule", "latitude", "longitude", "radiusMeters", "polygon", "trigger",
        "message", "title", "body", "subtitle", "data", "deepLink", "variants", "holdoutPercent", "audience", "segment", "cap",
        "quietHours", "conversion", "throttlePerMinute", "timeToLive", "startAt", "endAt", "cron", "at", "localTime", "timeZone",
        "platform", "marketing", "transactional", "idempotencyKey", "reason", "category", "priority", "stage", "delay", "geofence",
    ];

    private static readonly JsonNode?[] HostileValues =
    [
        1, -1, 0, 1e308, 1.5, "x", "", true, false, null, new JsonArray(), new JsonObject(),
        "<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>",
        "{{ (1..1000000000) | join: \",\" }}", "{% for i in (1..1000000000) %}x{% endfor %}",
        "count(\"x\", 90d) >= 1 and " + string.Concat(Enumerable.Repeat("(", 40)), "trait(\"a\") = 1 or " + string.Join(" or ", Enumerable.Repeat("has_push_token", 200)),
        new string('x', 100_000), "2024-01-01", "9999-12-31T23:59:59Z", "0001-01-01T00:00", "../../etc/passwd", "%00", "\u202e\u0000",
        new JsonArray(1, "a", null, new JsonObject()), new JsonObject { ["nested"] = new JsonObject { ["deeper"] = new JsonArray(new JsonArray()) } },
    ];

    // Why: the large bodies are built once; building them per request made the test's own garbage the memory it measured.
    private static readonly Lazy<byte[]> DeepArrays = new(() => Utf8(new string('[', 5000) + new string(']', 5000)));
    private static readonly Lazy<byte[]> DeepObjects = new(() => Utf8(string.Concat(Enumerable.Repeat("{\"a\":", 3000)) + "1" + new string('}', 3000)));
    private static readonly Lazy<byte[]> HugeString = new(() => Utf8("{\"a\": \"" + new string('x', 2 * 1024 * 1024) + "\"}"));
    private static readonly Lazy<byte[]> GzipBomb = new(() => Gzip(Utf8("{\"batch\": [" + new string(' ', 8 * 1024 * 1024) + "]}")));

    private static readonly string[] PathValues =
    [
        "fuzz-1", "a%0A", "%E2%80%8Bz", new('p', 300), "..%2F..%2Fetc", "%3Cscript%3E", "%F0%9F%98%80", "0", "-1", "%20",
    ];

    [Fact]
    public async Task EveryDocumentedRouteAnswersHostileRequestsWithoutA5xxAHangOrUnboundedMemory()
    {
        var document = JsonNode.Parse(await server.Http.GetStringAsync("/openapi/v1.json"))!;
        var operations = Operations(document).ToList();
        var fields = ApiFields.Concat(SchemaProperties(document)).Distinct().ToArray();
        var random = new Random(Seed);
        var failures = new List<string>();
        long memoryBefore = Process.GetCurrentProcess().WorkingSet64;
        long heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        long peak = memoryBefore;
        int sent = 0, closedEarly = 0;
        var clock = Stopwatch.StartNew();

        foreach (var (method, template) in operations)
        {
            for (int i = 0; i < RequestsPerOperation; i++)
            {
                string path = FillPath(template, random);
                using var request = new HttpRequestMessage(new HttpMethod(method), path);
                Authorize(request, template);
                if (method is "POST" or "PUT" or "PATCH" || random.Next(10) == 0) request.Content = HostileBody(random, fields);
                using var deadline = new CancellationTokenSource(RequestTimeout);
                try
                {
                    bool stream = Streams.Contains(template);
                    using var response = await server.Http.SendAsync(request, stream ? HttpCompletionOption.ResponseHeadersRead : HttpCompletionOption.ResponseContentRead, deadline.Token);
                    string body = stream ? "" : await response.Content.ReadAsStringAsync(deadline.Token);
                    if ((int)response.StatusCode >= 500) failures.Add($"{method} {Shorten(path)}: {(int)response.StatusCode} {Shorten(body)} for {await Describe(request)}");
                }
                catch (OperationCanceledException)
                {
                    failures.Add($"{method} {Shorten(path)}: no answer within {RequestTimeout.TotalSeconds:0} s for {await Describe(request)}");
                }
                catch (HttpRequestException ex) when (ex.InnerException is IOException)
                {
                    // Why: Kestrel answers an oversized body (413) before reading it and closes the connection, so
                    // the client's upload breaks off; the server refused it, which is what is wanted.
                    closedEarly++;
                }

                sent++;
                peak = Math.Max(peak, Process.GetCurrentProcess().WorkingSet64);
            }
        }

        output.WriteLine($"{sent} requests to {operations.Count} operations in {clock.Elapsed.TotalSeconds:0.0} s (seed {Seed}), {closedEarly} refused before the body was read; working set {memoryBefore / 1048576} MB before, peak {peak / 1048576} MB");
        Assert.True(operations.Count > 50, $"the document lists only {operations.Count} operations");
        Assert.True(failures.Count == 0, $"{failures.Count} failure(s):\n" + string.Join('\n', failures.Take(40)));
        Assert.True(peak - memoryBefore < PeakGrowthLimit, $"the working set grew by {(peak - memoryBefore) / 1048576} MB");
        long retained = GC.GetTotalMemory(forceFullCollection: true) - heapBefore;
        output.WriteLine($"heap {heapBefore / 1048576} MB before, {(heapBefore + retained) / 1048576} MB after a full collection");
        Assert.True(retained < RetainedGrowthLimit, $"the heap holds {retained / 1048576} MB more after the run");
    }

    private static IEnumerable<(string Method, string Path)> Operations(JsonNode document)
    {
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, _) in item!.AsObject())
            {
                if (method is "get" or "put" or "post" or "delete" or "patch") yield return (method.ToUpperInvariant(), path);
            }
        }
    }

    private static IEnumerable<string> SchemaProperties(JsonNode document) =>
        document["components"]?["schemas"]?.AsObject().SelectMany(s => s.Value?["properties"]?.AsObject().Select(p => p.Key) ?? []) ?? [];

    private static string FillPath(string template, Random random)
    {
        var text = new StringBuilder();
        int i = 0;
        while (i < template.Length)
        {
            int open = template.IndexOf('{', i);
            if (open < 0)
            {
                text.Append(template, i, template.Length - i);
                break;
            }

            int close = template.IndexOf('}', open);
            text.Append(template, i, open - i);
            text.Append(PathValues[random.Next(PathValues.Length)]);
            i = close + 1;
        }

        return text.ToString();
    }

    private static void Authorize(HttpRequestMessage request, string template)
    {
        if (template.StartsWith("/dashboard", StringComparison.Ordinal))
        {
            request.WithBearer(TestApps.OperatorKey);
        }
        else if (template.Count(c => c == '/') == 2 && template.StartsWith("/v1/", StringComparison.Ordinal) && !template.StartsWith("/v1/segments", StringComparison.Ordinal)
                 && !template.StartsWith("/v1/geofences", StringComparison.Ordinal) && !template.StartsWith("/v1/messages", StringComparison.Ordinal)
                 && !template.StartsWith("/v1/campaigns", StringComparison.Ordinal))
        {
            request.WithWriteKey(TestApps.Shop.WriteKey);
        }
        else
        {
            request.WithBearer(TestApps.Shop.AdminKey);
        }
    }

    private static HttpContent HostileBody(Random random, string[] fields)
    {
        byte[] bytes;
        string? encoding = null;
        switch (random.Next(14))
        {
            case 0: bytes = Utf8(random.Next(4) switch { 0 => "", 1 => "null", 2 => "[]", _ => "{}" }); break;
            case 1: bytes = DeepArrays.Value; break;
            case 2: bytes = DeepObjects.Value; break;
            case 3: bytes = HugeString.Value; break;
            case 4: bytes = [0xEF, 0xBB, 0xBF, .. Utf8("{\"userId\": \"u\"}")]; break;
            case 5: bytes = [.. Utf8("{\"" + fields[random.Next(fields.Length)] + "\": \"a"), 0xFF, 0xC3, 0x28, .. Utf8("\"}")]; break;
            case 6: bytes = Utf8("{\"" + fields[random.Next(fields.Length)] + "\": \"\\ud800\", \"\\udc00\": 1}"); break;
            case 7:
                bytes = new byte[random.Next(1, 4096)];
                random.NextBytes(bytes);
                break;
            case 8:
                bytes = GzipBomb.Value;
                encoding = "gzip";
                break;
            case 9:
                bytes = Gzip(Utf8("{\"userId\": \"u\", \"event\": \"A\"}"))[..12];
                encoding = random.Next(2) == 0 ? "gzip" : "deflate";
                break;
            case 10: bytes = Utf8(Nested(random, fields, "batch").ToJsonString()); break;
            case 11: bytes = Utf8(Nested(random, fields, random.Next(2) == 0 ? "trigger" : "message").ToJsonString()); break;
            default: bytes = Utf8(WrongTypes(random, fields).ToJsonString()); break;
        }

        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = random.Next(5) switch
        {
            0 => null,
            1 => new MediaTypeHeaderValue("text/plain"),
            2 => new MediaTypeHeaderValue("application/x-www-form-urlencoded"),
            _ => new MediaTypeHeaderValue("application/json"),
        };
        if (encoding is not null) content.Headers.ContentEncoding.Add(encoding);
        return content;
    }

    /// <summary>An object whose fields, drawn from every field name known, each hold a value of some wrong type.</summary>
    private static JsonObject WrongTypes(Random random, string[] fields)
    {
        var body = new JsonObject();
        int count = random.Next(1, 8);
        for (int i = 0; i < count; i++) body[fields[random.Next(fields.Length)]] = HostileValues[random.Next(HostileValues.Length)]?.DeepClone();
        return body;
    }

    private static JsonObject Nested(Random random, string[] fields, string container) => new()
    {
        [container] = container == "batch"
            ? new JsonArray(WrongTypes(random, fields), new JsonObject { ["type"] = "track", ["userId"] = "u", ["event"] = "A", [fields[random.Next(fields.Length)]] = HostileValues[random.Next(HostileValues.Length)]?.DeepClone() })
            : WrongTypes(random, fields),
        ["message"] = new JsonObject { ["title"] = HostileValues[random.Next(HostileValues.Length)]?.DeepClone(), ["body"] = "b" },
    };

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static byte[] Gzip(byte[] bytes)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.SmallestSize, leaveOpen: true)) gzip.Write(bytes);
        return buffer.ToArray();
    }

    private static async Task<string> Describe(HttpRequestMessage request)
    {
        if (request.Content is null) return "no body";
        byte[] bytes = await request.Content.ReadAsByteArrayAsync();
        return $"{bytes.Length} bytes {request.Content.Headers.ContentType} {string.Join(",", request.Content.Headers.ContentEncoding)}: {Shorten(Encoding.UTF8.GetString(bytes))}";
    }

    private static string Shorten(string text) => text.Length <= 160 ? text : text[..160] + "…";
}

/// <summary>Tests that run with no other test in parallel, because they measure the process.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FuzzCollection
{
    public const string Name = "alone";
}
