using Microsoft.AspNetCore.Mvc.RazorPages;
using Orleans.Segments.Domain.Geofences;
using Orleans.Segments.Domain.Segments;

namespace Orleans.Segments.Server.Console.Geofences;

/// <summary>The app's geofences: a list with what uses each, and a plot of them to scale.</summary>
public sealed class IndexModel(GeofenceService geofences, SegmentService segments, CampaignService campaigns) : PageModel
{
    public IReadOnlyList<Geofence> Fences { get; private set; } = [];

    /// <summary>For each geofence, the segments and campaigns that name it.</summary>
    public Dictionary<string, List<string>> UsedBy { get; } = new(StringComparer.Ordinal);

    public async Task OnGetAsync()
    {
        string app = ConsoleAuth.AppId(HttpContext);
        Fences = await geofences.ListAsync(app);
        foreach (var s in await segments.DefinitionsAsync(app))
        {
            if (RuleParser.Parse(s.Rule) is { IsValid: true } rule)
            {
                foreach (string fence in rule.GeofenceReferences) Use(fence, $"segment {s.Id}");
            }
        }

        foreach (var c in await campaigns.DefinitionsAsync(app))
        {
            foreach (var (kind, id) in c.References())
            {
                if (kind == "geofence") Use(id, $"campaign {c.Id}");
            }
        }
    }

    private void Use(string fence, string user)
    {
        if (!UsedBy.TryGetValue(fence, out var list)) UsedBy[fence] = list = [];
        if (!list.Contains(user)) list.Add(user);
    }

    public static string Shape(Geofence f) => f.Center is { } c
        ? $"circle of {Shared.Format.Number(f.RadiusMeters)} m around {c.Latitude.ToString("0.#####", System.Globalization.CultureInfo.InvariantCulture)}, {c.Longitude.ToString("0.#####", System.Globalization.CultureInfo.InvariantCulture)}"
        : $"polygon of {f.Polygon!.Length} vertices";
}
