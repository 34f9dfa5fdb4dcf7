using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Orleans.Segments.Domain.Geofences;
using Orleans.Segments.Segments;

namespace Orleans.Segments.Server.Console.Geofences;

/// <summary>
/// Creates, edits and deletes a geofence: a circle (centre and radius) or a polygon (one "latitude, longitude"
/// per line), read by the API's own reader from the JSON the form makes.
/// </summary>
public sealed class EditModel(GeofenceService geofences) : PageModel
{
    /// <summary>The id in the path (null on the page for a new one); never bound from the form, whose "id" field is separate.</summary>
    public string? Id => RouteData.Values.TryGetValue("id", out var value) ? value as string : null;

    public bool IsNew { get; private set; }

    /// <summary>The id typed on the page for a new geofence.</summary>
    public string? TypedId { get; private set; }

    public string Name { get; private set; } = "";

    public string Shape { get; private set; } = "circle";

    public string Latitude { get; private set; } = "";

    public string Longitude { get; private set; } = "";

    public string Radius { get; private set; } = "";

    public string Polygon { get; private set; } = "";

    public Geofence? Saved { get; private set; }

    public string? Error { get; private set; }

    public IReadOnlyList<string> Errors { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync()
    {
        IsNew = Id is null;
        if (IsNew) return Page();
        if (!ResourceId.IsValid(Id)) return NotFound();
        Saved = await geofences.GetAsync(ConsoleAuth.AppId(HttpContext), Id!);
        if (Saved is null)
        {
            TempData["Notice"] = $"There is no geofence '{Id}' (it may have been deleted in another tab).";
            return Redirect("/console/geofences");
        }

        Name = Saved.Name;
        if (Saved.Center is { } c)
        {
            Latitude = N(c.Latitude);
            Longitude = N(c.Longitude);
            Radius = N(Saved.RadiusMeters);
        }
        else
        {
            Shape = "polygon";
            Polygon = string.Join("\n", Saved.Polygon!.Select(p => $"{N(p.Latitude)}, {N(p.Longitude)}"));
        }

        return Page();
    }

    /// <summary>The geofence being edited was deleted meanwhile; saving again creates it anew.</summary>
    public bool Recreate { get; private set; }

    public async Task<IActionResult> OnPostAsync(string? id, string? name, string? shape, string? latitude, string? longitude, string? radius, string? polygon, string? recreate)
    {
        IsNew = Id is null;
        (Name, Shape, Latitude, Longitude, Radius, Polygon) = (name ?? "", shape == "polygon" ? "polygon" : "circle", latitude ?? "", longitude ?? "", radius ?? "", polygon ?? "");
        TypedId = id?.Trim();
        string? fenceId = IsNew ? TypedId : Id;
        if (!ResourceId.IsValid(fenceId)) return Invalid($"'{ResourceId.Printable(fenceId ?? "")}' is not a valid id: {ResourceId.Rule}.");
        string app = ConsoleAuth.AppId(HttpContext);
        if (IsNew && await geofences.GetAsync(app, fenceId!) is not null) return Invalid($"There is already a geofence '{fenceId}'; open it to edit it, or choose another id.");
        if (!IsNew && recreate != "yes" && await geofences.GetAsync(app, fenceId!) is null)
        {
            Recreate = true;
            Error = $"Geofence {fenceId} was deleted meanwhile (in another tab, or by the API); nothing was saved. Save again to create it anew.";
            Response.StatusCode = StatusCodes.Status409Conflict;
            return Page();
        }

        Contracts.GeofenceInput body;
        if (Shape == "polygon")
        {
            var points = new List<double[]>();
            int line = 0;
            foreach (string raw in Polygon.Split('\n'))
            {
                line++;
                if (raw.Trim().Length == 0) continue;
                if (points.Count > Geofence.MaxVertices) return Invalid($"A polygon may have at most {Geofence.MaxVertices} vertices.");
                string[] parts = raw.Split(',', StringSplitOptions.TrimEntries);
                if (parts.Length != 2 || !TryNumber(parts[0], out double lat) || !TryNumber(parts[1], out double lon))
                {
                    return Invalid($"Line {line} of the polygon: write \"latitude, longitude\" in decimal degrees, e.g. 52.5219, 13.4132.");
                }

                points.Add([lat, lon]);
            }

            body = new Contracts.GeofenceInput(Name: Name.Trim().Length > 0 ? Name.Trim() : null, Polygon: points.ToArray());
        }
        else
        {
            var values = new double[3];
            foreach (var (i, field, text) in new[] { (0, "latitude", Latitude), (1, "longitude", Longitude), (2, "radius", Radius) })
            {
                if (!TryNumber(text, out values[i])) return Invalid($"The {field} must be a number (decimal degrees, or metres for the radius).");
            }

            body = new Contracts.GeofenceInput(Name.Trim().Length > 0 ? Name.Trim() : null, values[0], values[1], values[2]);
        }

        var (fence, problem) = Apis.GeofencesApi.Read(fenceId!, body);
        if (fence is null) return Invalid($"The geofence was not saved: {problem}");
        var change = await geofences.PutAsync(app, fence);
        if (change.Status == CatalogChangeStatus.Invalid)
        {
            Errors = change.Errors;
            return Invalid("The geofence was not saved.");
        }

        TempData["Notice"] = change.Status switch
        {
            CatalogChangeStatus.Created => $"Geofence {fenceId} created.",
            CatalogChangeStatus.Unchanged => "Nothing changed.",
            _ => $"Geofence {fenceId} saved; users inside it are re-evaluated as their locations arrive.",
        };
        return Redirect("/console/geofences");
    }

    public async Task<IActionResult> OnPostDeleteAsync(string? confirm)
    {
        string app = ConsoleAuth.AppId(HttpContext);
        if (!ResourceId.IsValid(Id) || await geofences.GetAsync(app, Id!) is not { } fence)
        {
            TempData["Notice"] = $"There is no geofence '{ResourceId.Printable(Id ?? "")}' (it may have been deleted in another tab).";
            return Redirect("/console/geofences");
        }

        await OnGetAsync();
        if (confirm != "yes") return Invalid("Tick the box to confirm the deletion.");
        var change = await geofences.DeleteAsync(app, fence.Id);
        if (change.Status == CatalogChangeStatus.InUse)
        {
            Errors = change.Errors;
            Response.StatusCode = StatusCodes.Status409Conflict;
            Error = $"Geofence {fence.Id} is in use and was not deleted.";
            return Page();
        }

        TempData["Notice"] = change.Status == CatalogChangeStatus.NotFound ? $"Geofence {fence.Id} was already deleted." : $"Geofence {fence.Id} deleted.";
        return Redirect("/console/geofences");
    }

    private PageResult Invalid(string error)
    {
        Error = error;
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return Page();
    }

    private static bool TryNumber(string text, out double value) =>
        double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    private static string N(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
