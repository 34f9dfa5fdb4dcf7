using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Orleans.Segments.Server.Tests.Infrastructure;

/// <summary>One mapped route and method, as the server's endpoint data source lists it.</summary>
public sealed record MappedRoute(string Method, string Pattern)
{
    /// <summary>
    /// Routes anyone may call: health probes, the OpenAPI document and its reference page, the redirect at /, the
    /// SDK settings (the write key is the path, as on Segment's CDN) and the sink of the SDKs' own telemetry.
    /// </summary>
    public bool IsPublic => Pattern == "/" || Pattern.StartsWith("/health", StringComparison.Ordinal) ||
                            Pattern.StartsWith("/openapi", StringComparison.Ordinal) || Pattern.StartsWith("/scalar", StringComparison.Ordinal) ||
                            Pattern == "/v1/projects/{writeKey}/settings" || Pattern == "/v1/m" ||
                            Pattern is "/console/login" or "/console/signout" or "/console/assets/{name}";

    /// <summary>The console's pages, which take a session cookie (never an API key).</summary>
    public bool IsConsole => Pattern.StartsWith("/console", StringComparison.Ordinal);

    public bool IsOperator => Pattern.StartsWith("/dashboard", StringComparison.Ordinal) || Pattern.StartsWith("/metrics", StringComparison.Ordinal);

    /// <summary>The Segment tracking routes, which take a write key.</summary>
    public bool IsIngestion => Method == "POST" && Pattern.Count(c => c == '/') == 2 && Pattern.StartsWith("/v1/", StringComparison.Ordinal) &&
                               !Pattern.StartsWith("/v1/segments", StringComparison.Ordinal) && !Pattern.StartsWith("/v1/geofences", StringComparison.Ordinal) &&
                               !Pattern.StartsWith("/v1/messages", StringComparison.Ordinal);

    public bool HasBody => Method is "POST" or "PUT" or "PATCH";

    /// <summary>The bulk import: it streams files of up to 2 GB line by line (each line at most 64 KB; ImportsApiTests).</summary>
    public bool IsStreamingImport => Pattern == "/v1/users/import";

    /// <summary>The path with every parameter filled in from <paramref name="values"/> (by name, or by the path's area).</summary>
    public string Path(Func<string, string, string> value)
    {
        var pattern = Microsoft.AspNetCore.Routing.Patterns.RoutePatternFactory.Parse(Pattern);
        var parts = pattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
        {
            Microsoft.AspNetCore.Routing.Patterns.RoutePatternLiteralPart literal => literal.Content,
            Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart parameter => Uri.EscapeDataString(value(parameter.Name, Pattern)),
            Microsoft.AspNetCore.Routing.Patterns.RoutePatternSeparatorPart separator => separator.Content,
            _ => "",
        })));
        return "/" + string.Join('/', parts);
    }

    public override string ToString() => $"{Method} {Pattern}";

    /// <summary>Every route and method the server maps.</summary>
    public static IReadOnlyList<MappedRoute> All(IServiceProvider services) =>
        services.GetServices<EndpointDataSource>()
            .SelectMany(source => source.Endpoints)
            .OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => new MappedRoute(m, Normalize(e.RoutePattern.RawText))))
            .Distinct()
            .OrderBy(r => r.Pattern, StringComparer.Ordinal).ThenBy(r => r.Method, StringComparer.Ordinal)
            .ToList();

    private static string Normalize(string? raw) => "/" + (raw ?? "").TrimStart('/');
}
