using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Orleans.Segments.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Orleans.Segments.Server.Tests;

/// <summary>
/// The OpenAPI document is what a backend team generates its client from, so it must be honest: it passes the lint
/// of tests/openapi-lint (Stoplight Spectral with our rules: operationId, tag, body schema, 4xx as problem details,
/// security), its examples are accepted by the server they describe, and the client errors it documents are the
/// ones the server really answers.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class OpenApiContractTests(ServerFixture server, ITestOutputHelper output)
{
    private static readonly TimeSpan LintTimeout = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(3);
    private static readonly SemaphoreSlim InstallOnce = new(1, 1);

    [Fact]
    public async Task DocumentPassesTheLint()
    {
        string folder = await ToolsFolderAsync();
        string spectral = Path.Combine(folder, "node_modules", ".bin", "spectral");

        string document = Path.Combine(Path.GetTempPath(), $"segments-openapi-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(document, await server.Http.GetStringAsync("/openapi/v1.json"));
        var lint = await ExternalProcess.RunAsync(spectral, ["lint", document, "--ruleset", Path.Combine(folder, ".spectral.yaml"), "--fail-severity", "warn", "--format", "text"], folder, LintTimeout);
        output.WriteLine(lint.Output);

        // Why: the document is kept when the lint fails, so the lines it names can be read.
        Assert.True(lint.ExitCode == 0, $"spectral lint found problems in /openapi/v1.json (kept at {document}):\n{lint.Output}");
        File.Delete(document);
    }

    /// <summary>
    /// A TypeScript backend generates its types with openapi-typescript and gets typed bodies, answers and problems:
    /// tests/openapi-lint/usage.ts type-checks against them (tsc --strict), and what the server refuses (a misspelt
    /// field, a quoted number, a number in FCM data) does not.
    /// </summary>
    [Fact]
    public async Task GeneratedTypeScriptTypesCheckAClientOfEveryArea()
    {
        string folder = await ToolsFolderAsync();
        string work = Directory.CreateTempSubdirectory("segments-ts-").FullName;
        try
        {
            string document = Path.Combine(work, "openapi.json");
            await File.WriteAllTextAsync(document, await server.Http.GetStringAsync("/openapi/v1.json"));
            File.Copy(Path.Combine(folder, "usage.ts"), Path.Combine(work, "usage.ts"));

            var generate = await ExternalProcess.RunAsync(Path.Combine(folder, "node_modules", ".bin", "openapi-typescript"), [document, "--output", Path.Combine(work, "api.d.ts")], work, LintTimeout);
            Assert.True(generate.ExitCode == 0, $"openapi-typescript failed:\n{generate.Output}");
            var check = await ExternalProcess.RunAsync(Path.Combine(folder, "node_modules", ".bin", "tsc"), ["--noEmit", "--strict", "--target", "es2022", "--module", "es2022", "--moduleResolution", "bundler", "usage.ts"], work, LintTimeout);
            Assert.True(check.ExitCode == 0, $"tsc found errors in usage.ts against the generated types:\n{check.Output}");
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    [Fact]
    public async Task ExamplesOfTheDocumentAreAcceptedAsTheyStand()
    {
        var document = await DocumentAsync();
        string segment = NewId("reachable-buyers");
        string segmentExample = Example(document, "/v1/segments/{id}", "put");
        using (var put = await server.AdminAsync(HttpMethod.Put, $"/v1/segments/{segment}", segmentExample))
        {
            await put.ShouldHaveStatusAsync(HttpStatusCode.Created);
        }

        string campaignExample = Example(document, "/v1/campaigns/{id}", "put").Replace("\"reachable-buyers\"", $"\"{segment}\"", StringComparison.Ordinal);
        using (var put = await server.AdminAsync(HttpMethod.Put, $"/v1/campaigns/{NewId("spring-sale")}", campaignExample))
        {
            await put.ShouldHaveStatusAsync(HttpStatusCode.Created);
        }

        using (var put = await server.AdminAsync(HttpMethod.Put, $"/v1/journeys/{NewId("onboarding")}", Example(document, "/v1/journeys/{id}", "put")))
        {
            await put.ShouldHaveStatusAsync(HttpStatusCode.Created);
        }

        string batch = Example(document, "/v1/batch", "post").Replace("user-42", TestApps.NewUserId(), StringComparison.Ordinal);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/batch") { Content = new StringContent(batch, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{TestApps.Shop.WriteKey}:")));
        using var ingested = await server.Http.SendAsync(request);
        await ingested.ShouldHaveStatusAsync(HttpStatusCode.OK);
    }

    /// <summary>
    /// Every 400, 401, 403, 404, 413 and 415 the document promises for an operation of the API is answered, with
    /// the problem-details shape, by a request built to cause it (409 is caused by each area's own tests, which
    /// need a campaign or segment in use; 429 and 503 by tests of a server with tiny limits or stopped storage).
    /// </summary>
    [Fact]
    public async Task ClientErrorsTheDocumentPromisesAreTheOnesAnswered()
    {
        var document = await DocumentAsync();
        var missing = new List<string>();
        int checkedCount = 0;
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            if (!path.StartsWith("/v1/", StringComparison.Ordinal)) continue;
            foreach (var (method, operation) in item!.AsObject())
            {
                var responses = operation!["responses"]!.AsObject();
                string? scheme = operation["security"]?.AsArray().FirstOrDefault()?.AsObject().First().Key;
                foreach (string status in new[] { "400", "401", "403", "404", "413", "415" }.Where(responses.ContainsKey))
                {
                    using var request = Cause(int.Parse(status), method, path, scheme, operation["requestBody"] is not null,
                        operation["requestBody"]?["content"]?.AsObject().Select(c => c.Key).ToArray() ?? []);
                    if (request is null) continue;
                    using var response = await server.Http.SendAsync(request);
                    checkedCount++;
                    string body = await response.Content.ReadAsStringAsync();
                    if ((int)response.StatusCode != int.Parse(status) || response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                    {
                        missing.Add($"{method.ToUpperInvariant()} {path} documents {status}, answered {(int)response.StatusCode} {response.Content.Headers.ContentType?.MediaType}: {body}");
                    }
                }
            }
        }

        output.WriteLine($"{checkedCount} documented client errors caused and answered");
        Assert.True(checkedCount > 100, $"only {checkedCount} documented client errors were checked");
        Assert.True(missing.Count == 0, string.Join('\n', missing));
    }

    private HttpRequestMessage? Cause(int status, string method, string path, string? scheme, bool takesBody, string[] bodyTypes)
    {
        var request = new HttpRequestMessage(new HttpMethod(method.ToUpperInvariant()), Fill(path));
        bool json = bodyTypes.Length == 0 || bodyTypes.Contains("application/json");
        if (takesBody) request.Content = new StringContent(json ? "{}" : "", Encoding.UTF8, json ? "application/json" : bodyTypes[0]);
        string write = $"Basic {Convert.ToBase64String(Encoding.UTF8.GetBytes($"{TestApps.Shop.WriteKey}:"))}";
        string admin = $"Bearer {TestApps.Shop.AdminKey}";
        string? rightKey = scheme switch { "writeKey" => write, "adminKey" => admin, _ => null };
        switch (status)
        {
            case 400:
                if (scheme is not null && rightKey is null) return null;
                if (rightKey is not null) request.Headers.TryAddWithoutValidation("Authorization", rightKey);
                if (takesBody && !bodyTypes.Contains("application/json") && bodyTypes.Contains("text/csv"))
                {
                    // Why: a route that imports CSV refuses one without its header line.
                    request.Content = new StringContent("", Encoding.UTF8, "text/csv");
                }
                else if (takesBody)
                {
                    // Why: a body that is not JSON is refused by every route that takes one, whatever its fields.
                    request.Content = new StringContent("{\"unclosed\": ", Encoding.UTF8, "application/json");
                }
                else
                {
                    // Why: a route without a body is given an id no route accepts (a control character).
                    request.RequestUri = new Uri(Fill(path, "bad%01id"), UriKind.Relative);
                    if (request.RequestUri.OriginalString == path) throw new Xunit.Sdk.XunitException($"{method.ToUpperInvariant()} {path} documents 400 but takes no body and no parameter");
                }

                break;
            case 415:
                if (!takesBody || (scheme is not null && rightKey is null)) return null;
                if (rightKey is not null) request.Headers.TryAddWithoutValidation("Authorization", rightKey);
                request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
                request.Content.Headers.ContentEncoding.Add("br");
                break;
            case 401:
                if (scheme is null) return null;
                break;
            case 403:
                // Why: each key is refused where the other one is needed.
                request.Headers.TryAddWithoutValidation("Authorization", scheme == "writeKey" ? $"Basic {Convert.ToBase64String(Encoding.UTF8.GetBytes($"{TestApps.Shop.AdminKey}:"))}" : $"Bearer {TestApps.Shop.WriteKey}");
                break;
            case 404:
                if (rightKey is null && scheme is not null) return null;
                if (rightKey is not null) request.Headers.TryAddWithoutValidation("Authorization", rightKey);
                if (takesBody && method is "put" or "post") request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
                break;
            case 413:
                if (!takesBody || rightKey is null) return null;
                request.Headers.TryAddWithoutValidation("Authorization", rightKey);
                // Why: above every route's own limit (the largest, /v1/batch, is 500 KB) and below Kestrel's 1 MB, so the
                // client, which sends it all, can read the answer (as in BodyLimitTests).
                request.Content = new StringContent($"{{\"name\": \"{new string('x', 600_000)}\"}}", Encoding.UTF8, "application/json");
                break;
        }

        return request;
    }

    /// <summary>The path with ids that name nothing yet: what a 404 needs, and harmless for the other statuses.</summary>
    private static string Fill(string path, string? id = null) => path
        .Replace("{id}", id ?? NewId("none"), StringComparison.Ordinal)
        .Replace("{userId}", id ?? TestApps.NewUserId(), StringComparison.Ordinal)
        .Replace("{segmentId}", id ?? NewId("none"), StringComparison.Ordinal)
        .Replace("{activityId}", id ?? NewId("none"), StringComparison.Ordinal)
        .Replace("{importId}", id ?? NewId("none"), StringComparison.Ordinal)
        .Replace("{token}", Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)), StringComparison.Ordinal)
        .Replace("{writeKey}", "wk_not_a_key_of_any_app", StringComparison.Ordinal);

    /// <summary>tests/openapi-lint with its locked packages installed (<c>npm ci</c>) on a fresh checkout.</summary>
    private static async Task<string> ToolsFolderAsync()
    {
        string folder = Path.Combine(RepositoryRoot.Find(), "tests", "openapi-lint");
        await InstallOnce.WaitAsync();
        try
        {
            if (!File.Exists(Path.Combine(folder, "node_modules", ".bin", "openapi-typescript")))
            {
                var install = await ExternalProcess.RunAsync("npm", ["ci", "--no-audit", "--no-fund"], folder, InstallTimeout);
                Assert.True(install.ExitCode == 0, $"npm ci in {folder} exited with {install.ExitCode}:\n{install.Output}");
            }
        }
        finally
        {
            InstallOnce.Release();
        }

        return folder;
    }

    private static string NewId(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}";

    private async Task<JsonNode> DocumentAsync() => JsonNode.Parse(await server.Http.GetStringAsync("/openapi/v1.json"))!;

    private static string Example(JsonNode document, string path, string method) =>
        document["paths"]![path]![method]!["requestBody"]!["content"]!["application/json"]!["example"]?.ToJsonString()
        ?? throw new Xunit.Sdk.XunitException($"{method.ToUpperInvariant()} {path} has no example in the document");
}
