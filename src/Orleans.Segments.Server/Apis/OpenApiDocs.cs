using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Orleans.Segments.Server.Apis;

/// <summary>
/// What the generated OpenAPI document cannot learn from the routes alone: who may call each operation (the write,
/// admin and operator keys as security schemes), the areas as described tags, the ingestion bodies (read as JSON
/// under any content type, so not declared on the routes), and an example of the main bodies.
/// </summary>
public static class OpenApiDocs
{
    public const string WriteKey = "writeKey";
    public const string AdminKey = "adminKey";
    public const string OperatorKey = "operatorKey";

    private static readonly (string Name, string Description)[] Tags =
    [
        ("Tracking", "Segment's tracking API, for apps and backends, with an app's write key (public: it ships inside apps and can only ingest)."),
        ("Users", "One user's profile, push tokens, consents, export and erasure."),
        ("Messages", "Transactional pushes and each user's message log."),
        ("Segments", "Live segments: rules, exact sizes, members, previews and explanations."),
        ("Geofences", "Circles and polygons that location events are matched against."),
        ("Campaigns", "Push campaigns: definitions, launch, pause, resume, cancel, send now, statistics."),
        ("Journeys", "Multi-step campaigns: definitions validated as a whole graph, launch, pause, resume, archive, entry by API, statistics."),
        ("Webhooks", "Streams the app's events (message outcomes and engagement, segment, geofence, lifecycle and journey changes) to its HTTPS endpoints as signed JSON batches, with their backlog and dead letters."),
        ("Live Activities", "iOS Live Activities: each activity's push tokens, its updates and its end, sent as APNs liveactivity pushes."),
        (Dashboard, "The Orleans dashboard's data, for operators (the operator key)."),
    ];

    private const string Dashboard = "Dashboard";

    /// <summary>Adds the transformers to the document's options.</summary>
    public static OpenApiOptions AddSegmentsDocument(this OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Orleans.Segments API";
            document.Info.Description = "Segment-compatible ingestion, live segments and push campaigns. Errors are RFC 9457 problem details with a `detail` and, for invalid bodies, `errors` naming each field's path.";
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[WriteKey] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "basic",
                Description = "The app's write key as the HTTP Basic user name with an empty password, as Segment's SDKs send it (or `writeKey` in the body).",
            };
            document.Components.SecuritySchemes[AdminKey] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "The app's admin key: `Authorization: Bearer <key>`. Everything it reaches belongs to that app.",
            };
            document.Components.SecuritySchemes[OperatorKey] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "The operator key (Segments:Server:OperatorKey) for /metrics and /dashboard.",
            };
            document.Tags = new HashSet<OpenApiTag>(Tags.Select(t => new OpenApiTag { Name = t.Name, Description = t.Description }));

            // Why: the server is named from the request; a trailing slash would double every path's first one.
            foreach (var server in document.Servers ?? []) server.Url = server.Url?.TrimEnd('/');
            return Task.CompletedTask;
        });
        options.AddSchemaTransformer((schema, context, _) =>
        {
            // Why: a free-form object (event properties, traits, context) takes any member; without saying so a
            // generator reads "an object" as an object with no members at all.
            if (context.JsonTypeInfo.Type == typeof(JsonObject)) schema.AdditionalProperties = new OpenApiSchema();
            return Task.CompletedTask;
        });
        options.AddOperationTransformer(async (operation, context, ct) =>
        {
            var metadata = context.Description.ActionDescriptor.EndpointMetadata;
            if (context.Description.RelativePath?.StartsWith("dashboard", StringComparison.Ordinal) == true) DescribeDashboard(operation, context);
            switch (metadata.OfType<ApiKeyRequirement>().LastOrDefault())
            {
                case { Scheme: null }:
                    operation.Security = [];
                    break;
                case { Scheme: { } scheme }:
                    operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(scheme, context.Document)] = [] }];
                    break;
            }

            if (metadata.OfType<IngestBodyDocumentation>().FirstOrDefault() is { } ingest)
            {
                var schema = await context.GetOrCreateSchemaAsync(ingest.Body, null, ct);
                operation.RequestBody = new OpenApiRequestBody
                {
                    Required = true,
                    Description = "JSON under any content type (analytics.js sends text/plain to avoid a preflight), optionally gzip or deflate (Content-Encoding).",
                    Content = new Dictionary<string, OpenApiMediaType>
                    {
                        [ApiDocs.Json] = new() { Schema = schema },
                        ["text/plain"] = new() { Schema = schema },
                    },
                };
            }

            if (metadata.OfType<ImportsApi.ImportBodyDocumentation>().Any())
            {
                operation.RequestBody = new OpenApiRequestBody
                {
                    Required = true,
                    Description = "One user per line: NDJSON objects {userId, traits, devices, consents, firstSeen, lastSeen}, or CSV under a header (userId, traits.<name>, deviceToken, devicePlatform, marketing, transactional, firstSeen, lastSeen).",
                    Content = new Dictionary<string, OpenApiMediaType>
                    {
                        ["application/x-ndjson"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String } },
                        ["text/csv"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String } },
                    },
                };
            }

            if (metadata.OfType<ApiExample>().FirstOrDefault() is { } example && operation.RequestBody?.Content is { } content)
            {
                foreach (var media in content.Values.OfType<OpenApiMediaType>()) media.Example = JsonNode.Parse(example.Json);
            }
        });
        return options;
    }

    /// <summary>
    /// The dashboard maps its own routes, without ids, tags or their errors; they are the operator's, refused with
    /// 401 or 403 by <see cref="Apps.OperatorAuth"/> before the dashboard sees them.
    /// </summary>
    private static void DescribeDashboard(OpenApiOperation operation, OpenApiOperationTransformerContext context)
    {
        string path = context.Description.RelativePath!.Split('?')[0];
        string method = context.Description.HttpMethod is null or "GET" ? "" : context.Description.HttpMethod[0] + context.Description.HttpMethod[1..].ToLowerInvariant();
        operation.OperationId ??= "Dashboard" + method + string.Concat(path.Split('/', '{', '}', '-', '.', ':').Skip(1).Where(p => p.Length > 0).Select(p => char.ToUpperInvariant(p[0]) + p[1..]));
        operation.Tags = new HashSet<OpenApiTagReference> { new(Dashboard, context.Document) };
        operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(OperatorKey, context.Document)] = [] }];
        operation.Responses ??= [];
        foreach (var (status, description) in new[] { ("401", "No operator key, or not the operator's."), ("403", "Not allowed from here.") })
        {
            operation.Responses.TryAdd(status, new OpenApiResponse
            {
                Description = description,
                Content = new Dictionary<string, OpenApiMediaType> { [ApiDocs.ProblemJson] = new() { Schema = new OpenApiSchemaReference(nameof(Contracts.Problem), context.Document) } },
            });
        }
    }
}

/// <summary>Which key an operation needs, named by its security scheme in the document; null for none.</summary>
public sealed record ApiKeyRequirement(string? Scheme);

/// <summary>An example body for the operation's request, shown in the document.</summary>
public sealed record ApiExample(string Json);
