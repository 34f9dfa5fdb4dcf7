using Orleans.Segments.Domain.Geofences;
using Orleans.Segments.Domain.Segments;
using Orleans.Segments.Hosting;

namespace Orleans.Segments.Segments;

/// <summary>Validates and stores one app's definitions; each change starts a backfill over all its users.</summary>
public sealed class SegmentCatalogGrain(
    [PersistentState("catalog", SegmentsStorage.Name)] IPersistentState<SegmentCatalogState> catalog,
    AppModelCache cache) : Grain, ISegmentCatalogGrain
{
    /// <summary>The most segments one app may define.</summary>
    public const int MaxSegments = 1000;

    /// <summary>The most geofences one app may define.</summary>
    public const int MaxGeofences = 100_000;

    private string AppId => this.GetPrimaryKeyString();

    Task<CatalogSnapshot> ISegmentCatalogGrain.GetSnapshot()
    {
        var s = catalog.State;
        return Task.FromResult(new CatalogSnapshot(s.Version, s.Segments.Values.ToArray(), s.Geofences.Values.ToArray(), new Dictionary<string, long>(s.SegmentVersions)));
    }

    async Task<CatalogChange> ISegmentCatalogGrain.PutSegment(SegmentDefinition definition)
    {
        var s = catalog.State;
        if (!ResourceId.IsValid(definition.Id)) return CatalogChange.Invalid($"'{ResourceId.Printable(definition.Id)}': {ResourceId.Rule}.");
        bool exists = s.Segments.TryGetValue(definition.Id, out var current);
        if (exists && current == definition) return new CatalogChange(CatalogChangeStatus.Unchanged, s.Version, []);
        if (!exists && s.Segments.Count >= MaxSegments) return CatalogChange.Invalid($"an app may define at most {MaxSegments} segments.");

        var parsed = RuleParser.Parse(definition.Rule);
        if (!parsed.IsValid) return CatalogChange.Invalid(parsed.Errors.Select(e => e.ToString()).ToArray());

        var errors = new List<string>();
        foreach (string fence in parsed.GeofenceReferences.Where(f => !s.Geofences.ContainsKey(f)))
        {
            errors.Add($"inside(\"{fence}\"): no geofence '{fence}' is defined.");
        }

        foreach (string segment in parsed.SegmentReferences)
        {
            if (segment == definition.Id) errors.Add($"in_segment(\"{segment}\"): a segment cannot contain itself.");
            else if (!s.Segments.ContainsKey(segment)) errors.Add($"in_segment(\"{segment}\"): no segment '{segment}' is defined.");
            else if (ReachableFrom(segment).Contains(definition.Id)) errors.Add($"in_segment(\"{segment}\"): '{segment}' already depends on '{definition.Id}', which would form a cycle.");
        }

        if (errors.Count > 0) return CatalogChange.Invalid(errors.ToArray());

        s.Segments[definition.Id] = definition;
        return await Commit(exists ? CatalogChangeStatus.Updated : CatalogChangeStatus.Created, definition.Id);
    }

    async Task<CatalogChange> ISegmentCatalogGrain.DeleteSegment(string id)
    {
        var s = catalog.State;
        if (!s.Segments.ContainsKey(id)) return new CatalogChange(CatalogChangeStatus.NotFound, s.Version, []);
        var users = s.Segments.Values.Where(d => d.Id != id && RuleParser.Parse(d.Rule).SegmentReferences.Contains(id))
            .Select(d => $"segment '{d.Id}' uses in_segment(\"{id}\").")
            .Concat(await CampaignsUsing("segment", id))
            .ToArray();
        if (users.Length > 0) return new CatalogChange(CatalogChangeStatus.InUse, s.Version, users);

        s.Segments.Remove(id);
        s.SegmentVersions.Remove(id);
        return await Commit(CatalogChangeStatus.Deleted, null);
    }

    async Task<CatalogChange> ISegmentCatalogGrain.PutGeofence(Geofence geofence)
    {
        var s = catalog.State;
        if (!ResourceId.IsValid(geofence.Id)) return CatalogChange.Invalid($"'{ResourceId.Printable(geofence.Id)}': {ResourceId.Rule}.");
        if (geofence.Validate() is { } problem) return CatalogChange.Invalid(problem);
        bool exists = s.Geofences.TryGetValue(geofence.Id, out var current);
        if (exists && Same(current!, geofence)) return new CatalogChange(CatalogChangeStatus.Unchanged, s.Version, []);
        if (!exists && s.Geofences.Count >= MaxGeofences) return CatalogChange.Invalid($"an app may define at most {MaxGeofences} geofences.");
        s.Geofences[geofence.Id] = geofence;
        return await Commit(exists ? CatalogChangeStatus.Updated : CatalogChangeStatus.Created, null);
    }

    async Task<CatalogChange> ISegmentCatalogGrain.DeleteGeofence(string id)
    {
        var s = catalog.State;
        if (!s.Geofences.ContainsKey(id)) return new CatalogChange(CatalogChangeStatus.NotFound, s.Version, []);
        var users = s.Segments.Values.Where(d => RuleParser.Parse(d.Rule).GeofenceReferences.Contains(id))
            .Select(d => $"segment '{d.Id}' uses inside(\"{id}\").")
            .Concat(await CampaignsUsing("geofence", id))
            .ToArray();
        if (users.Length > 0) return new CatalogChange(CatalogChangeStatus.InUse, s.Version, users);

        s.Geofences.Remove(id);
        return await Commit(CatalogChangeStatus.Deleted, null);
    }

    private async Task<CatalogChange> Commit(CatalogChangeStatus status, string? segmentId)
    {
        var s = catalog.State;
        s.Version++;
        if (segmentId is not null) s.SegmentVersions[segmentId] = s.Version;
        await catalog.WriteStateAsync();
        cache.Invalidate(AppId);

        // Why: the definitions are durable before the backfill starts, so a restarted job sees them.
        await GrainFactory.GetGrain<ISegmentBackfillGrain>(AppId).Start(s.Version);
        return new CatalogChange(status, s.Version, []);
    }

    private async Task<IEnumerable<string>> CampaignsUsing(string kind, string id) =>
        (await GrainFactory.GetGrain<Campaigns.ICampaignRegistryGrain>(AppId).UsersOf(kind, id)).Select(c => $"campaign '{c}' uses {kind} '{id}'.");

    private HashSet<string> ReachableFrom(string id)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<string>([id]);
        while (stack.TryPop(out var next))
        {
            if (!seen.Add(next) || !catalog.State.Segments.TryGetValue(next, out var definition)) continue;
            foreach (string dependency in RuleParser.Parse(definition.Rule).SegmentReferences) stack.Push(dependency);
        }

        return seen;
    }

    private static bool Same(Geofence a, Geofence b) =>
        a.Name == b.Name && a.Center == b.Center && a.RadiusMeters.Equals(b.RadiusMeters) &&
        (a.Polygon ?? []).SequenceEqual(b.Polygon ?? []);
}
