using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Orleans.Segments.Server.Apis;
using Orleans.Segments.Server.Hosting;

namespace Orleans.Segments.Server.Apps;

/// <summary>
/// Guards what shows the whole cluster (the dashboard, <c>/metrics</c>): only the operator key opens it, as
/// the HTTP Basic password (any user name; browsers prompt for it) or as <c>Authorization: Bearer</c>. An app's
/// keys do not: they see one app, the dashboard sees all.
/// </summary>
public sealed class OperatorAuth
{
    private readonly byte[] hash;

    public OperatorAuth(IOptions<ServerOptions> options, GeneratedKeys generated)
    {
        string key = options.Value.OperatorKey ?? generated.Operator;
        if (key.Length < 16) throw new OptionsValidationException("Segments:Server", typeof(ServerOptions), ["Segments:Server:OperatorKey must be at least 16 characters."]);
        hash = SHA256.HashData(Encoding.UTF8.GetBytes(key));
    }

    /// <summary>Paths only the operator may see.</summary>
    public static bool Guards(PathString path) => path.StartsWithSegments("/dashboard") || path.StartsWithSegments("/metrics");

    public bool IsOperator(HttpRequest request)
    {
        string? header = request.Headers.Authorization;
        if (header is null) return false;
        string? key = null;
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            key = header["Bearer ".Length..].Trim();
        }
        else if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase) && header.Length < 1100)
        {
            try
            {
                string decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..].Trim()));
                int colon = decoded.IndexOf(':');
                key = colon < 0 ? null : decoded[(colon + 1)..];
            }
            catch (FormatException)
            {
                return false;
            }
        }

        return key is { Length: > 0 and <= 256 } && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(key)), hash);
    }

    /// <summary>Middleware: answers 401 on a guarded path unless the request carries the operator key.</summary>
    public static async Task Guard(HttpContext http, RequestDelegate next)
    {
        if (Guards(http.Request.Path) && !http.RequestServices.GetRequiredService<OperatorAuth>().IsOperator(http.Request))
        {
            http.Response.Headers.WWWAuthenticate = "Basic realm=\"segments-operator\", charset=\"UTF-8\"";
            await Problems.Unauthorized("The dashboard and /metrics need the operator key (Segments:Server:OperatorKey) as the HTTP Basic password or a Bearer token.")
                .ExecuteAsync(http);
            return;
        }

        await next(http);
    }
}
