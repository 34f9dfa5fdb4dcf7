using Orleans.Runtime;
using Orleans.Segments.Server.Apis;

namespace Orleans.Segments.Server.Hosting;

/// <summary>
/// The Orleans dashboard's per-silo routes (<c>/dashboard/SiloProperties/{address}</c> and the like) throw for an
/// address that is not one, which would answer 500; this checks the address first and answers 400 with the
/// reason. The dashboard's code is not ours, its answers are.
/// </summary>
public static class DashboardGuard
{
    private static readonly string[] SiloRoutes = ["HistoricalStats", "SiloProperties", "SiloMetadata", "SiloStats", "SiloCounters"];

    public static async Task Validate(HttpContext http, RequestDelegate next)
    {
        if (http.Request.Path.StartsWithSegments("/dashboard", out var rest) && SiloAddressOf(rest) is { } address && !IsSiloAddress(address))
        {
            await Problems.BadRequest($"'{Shorten(address)}' is not a silo address (such as 10.0.0.4:11111@123456789); take one from /dashboard/ClusterStats.")
                .ExecuteAsync(http);
            return;
        }

        await next(http);
    }

    /// <summary>The address part of a per-silo route, or null for every other route.</summary>
    private static string? SiloAddressOf(PathString rest)
    {
        foreach (string route in SiloRoutes)
        {
            if (rest.StartsWithSegments("/" + route, StringComparison.OrdinalIgnoreCase, out var address))
            {
                return Uri.UnescapeDataString(address.Value?.TrimStart('/') ?? "");
            }
        }

        return null;
    }

    private static bool IsSiloAddress(string text)
    {
        if (text.Length is 0 or > 256) return false;
        try
        {
            return SiloAddress.FromParsableString(text) is not null;
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or OverflowException or IndexOutOfRangeException)
        {
            return false;
        }
    }

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..60] + "…";
}
