using System.Collections.Frozen;
using System.Security.Cryptography;

namespace Orleans.Segments.Server.Console;

/// <summary>
/// The console's stylesheet and scripts, embedded in the server's assembly and served from it: no toolchain, CDN or
/// web root is needed wherever the server runs. Each is addressed with a hash of its content, so it is cached for good.
/// </summary>
public static class ConsoleAssets
{
    private static readonly FrozenDictionary<string, (byte[] Bytes, string ContentType, string Version)> Files = Load();

    /// <summary>The address of an asset, with its version.</summary>
    public static string Url(string name) => $"/console/assets/{name}?v={Files[name].Version}";

    public static IEndpointRouteBuilder MapConsoleAssets(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/console/assets/{name}", (string name, HttpContext http) =>
        {
            if (!Files.TryGetValue(name, out var file)) return Results.NotFound();
            http.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
            http.Response.Headers.XContentTypeOptions = "nosniff";
            return Results.Bytes(file.Bytes, file.ContentType);
        }).ExcludeFromDescription();
        return routes;
    }

    private static FrozenDictionary<string, (byte[], string, string)> Load()
    {
        var assembly = typeof(ConsoleAssets).Assembly;
        var files = new Dictionary<string, (byte[], string, string)>(StringComparer.Ordinal);
        foreach (string resource in assembly.GetManifestResourceNames().Where(r => r.Contains(".Console.Assets.", StringComparison.Ordinal)))
        {
            string name = resource[(resource.IndexOf(".Console.Assets.", StringComparison.Ordinal) + ".Console.Assets.".Length)..];
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            byte[] bytes = copy.ToArray();
            string type = name.EndsWith(".css", StringComparison.Ordinal) ? "text/css; charset=utf-8"
                : name.EndsWith(".js", StringComparison.Ordinal) ? "text/javascript; charset=utf-8"
                : "text/plain; charset=utf-8";
            files[name] = (bytes, type, Convert.ToHexStringLower(SHA256.HashData(bytes))[..12]);
        }

        return files.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
