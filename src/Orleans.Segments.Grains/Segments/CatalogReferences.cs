namespace Orleans.Segments.Segments;

/// <summary>Checks that the segments and geofences a definition (a campaign's, a journey's) names exist in its app.</summary>
public static class CatalogReferences
{
    /// <summary>One error per named segment or geofence the app does not have: <c>no segment 'x' is defined in this app.</c></summary>
    public static async Task<List<string>> MissingAsync(IGrainFactory grains, string appId, IEnumerable<(string Kind, string Id)> references)
    {
        var snapshot = await grains.GetGrain<ISegmentCatalogGrain>(appId).GetSnapshot();
        var errors = new List<string>();
        foreach (var (kind, id) in references.Distinct())
        {
            bool exists = kind == "segment" ? snapshot.Segments.Any(d => d.Id == id) : snapshot.Geofences.Any(g => g.Id == id);
            if (!exists) errors.Add($"no {kind} '{id}' is defined in this app.");
        }

        return errors;
    }
}
