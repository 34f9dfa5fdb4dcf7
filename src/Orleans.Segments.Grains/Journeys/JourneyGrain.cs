using Orleans.Segments.Campaigns;
using Orleans.Segments.Domain.Journeys;
using Orleans.Segments.Hosting;
using Orleans.Segments.Segments;

namespace Orleans.Segments.Journeys;

[GenerateSerializer, Alias("segments.JourneyState")]
public sealed class JourneyState
{
    /// <summary>The definition's versions, oldest first; the last is current. A draft's edits replace it.</summary>
    [Id(0)] public List<JourneyDefinition> Versions { get; set; } = [];

    [Id(1)] public JourneyStatus Status { get; set; }

    [Id(2)] public DateTime CreatedAt { get; set; }

    [Id(3)] public DateTime UpdatedAt { get; set; }

    /// <summary>Why the journey has its status, as the campaign manager who archived it said.</summary>
    [Id(4)] public string? StatusReason { get; set; }
}

/// <summary>
/// One journey's definition and status. Definitions are checked as a whole (the graph, every step, every rule and
/// template) and against the app's segments and geofences; a draft's edits replace it, a change of a launched
/// journey makes a new version. The app's catalog is told of every change; user grains read it from there.
/// </summary>
public sealed class JourneyGrain(
    [PersistentState("journey", SegmentsStorage.Name)] IPersistentState<JourneyState> journey,
    TimeProvider time) : Grain, IJourneyGrain
{
    private string AppId => this.GetPrimaryKeyString()[..this.GetPrimaryKeyString().IndexOf('/')];

    private string JourneyId => this.GetPrimaryKeyString()[(this.GetPrimaryKeyString().IndexOf('/') + 1)..];

    public static string Key(string appId, string journeyId) => $"{appId}/{journeyId}";

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Why: a catalog write lost to a crash after the journey's own write is repaired here.
        if (journey.State.Versions.Count > 0) await Register();
    }

    async Task<JourneyCommandResult> IJourneyGrain.Put(JourneyDefinition definition)
    {
        var s = journey.State;
        if (definition.Id != JourneyId) return Refused(CampaignCommandStatus.Invalid, "id: the id in the body does not match the path.");
        if (!ResourceId.IsValid(definition.Id)) return Refused(CampaignCommandStatus.Invalid, $"id: '{ResourceId.Printable(definition.Id)}': {ResourceId.Rule}.");
        if (s.Status == JourneyStatus.Archived) return Refused(CampaignCommandStatus.Conflict, "the journey is archived and cannot be changed.");

        var errors = definition.Validate();
        if (errors.Count == 0) errors.AddRange(await CatalogReferences.MissingAsync(GrainFactory, AppId, definition.References()));
        if (errors.Count > 0) return new JourneyCommandResult(CampaignCommandStatus.Invalid, [.. errors], null);

        bool launched = s.Status is JourneyStatus.Live or JourneyStatus.Paused;
        if (definition.MoveUsers is not null && !launched)
        {
            return Refused(CampaignCommandStatus.Invalid, "moveUsers: only a change of a launched journey moves users; this journey has none in flight.");
        }

        var now = time.GetUtcNow().UtcDateTime;
        bool created = s.Versions.Count == 0;
        if (created) s.CreatedAt = now;

        // Why: users in flight walk the version they entered; a launched journey's change is a version of its own.
        if (created || launched) s.Versions.Add(definition);
        else s.Versions[^1] = definition;

        s.UpdatedAt = now;
        await journey.WriteStateAsync();
        await Register();
        return new JourneyCommandResult(created ? CampaignCommandStatus.Created : CampaignCommandStatus.Ok, [], View());
    }

    Task<JourneyView?> IJourneyGrain.Get() => Task.FromResult(View());

    async Task<JourneyCommandResult> IJourneyGrain.Archive(string? reason)
    {
        var s = journey.State;
        if (s.Versions.Count == 0) return Refused(CampaignCommandStatus.NotFound, $"No journey '{JourneyId}' in this app.");
        if (s.Status != JourneyStatus.Archived)
        {
            s.Status = JourneyStatus.Archived;
            s.StatusReason = reason;
            s.UpdatedAt = time.GetUtcNow().UtcDateTime;
            await journey.WriteStateAsync();
            await Register();
        }

        return new JourneyCommandResult(CampaignCommandStatus.Ok, [], View());
    }

    Task<JourneyCommandResult> IJourneyGrain.Launch(string? reason) => Move(JourneyStatus.Draft, JourneyStatus.Live, reason, "only a draft can be launched");

    Task<JourneyCommandResult> IJourneyGrain.Pause(string? reason) => Move(JourneyStatus.Live, JourneyStatus.Paused, reason, "only a live journey can be paused");

    Task<JourneyCommandResult> IJourneyGrain.Resume(string? reason) => Move(JourneyStatus.Paused, JourneyStatus.Live, reason, "only a paused journey can be resumed");

    async Task<JourneyStats> IJourneyGrain.GetStats()
    {
        var stats = new Domain.Campaigns.CampaignStats();
        string id = Domain.Journeys.JourneyStatsKeys.StatsId(JourneyId);
        var shards = await Task.WhenAll(Enumerable.Range(0, CampaignStatsGrain.Shards)
            .Select(shard => GrainFactory.GetGrain<ICampaignStatsGrain>(CampaignStatsGrain.Key(AppId, id, shard)).Get()));
        foreach (var shard in shards) stats.Merge(shard);
        return new JourneyStats(stats);
    }

    private async Task<JourneyCommandResult> Move(JourneyStatus from, JourneyStatus to, string? reason, string refusal)
    {
        var s = journey.State;
        if (s.Versions.Count == 0) return Refused(CampaignCommandStatus.NotFound, $"No journey '{JourneyId}' in this app.");
        if (s.Status == to) return new JourneyCommandResult(CampaignCommandStatus.Ok, [], View());
        if (s.Status != from) return Refused(CampaignCommandStatus.Conflict, $"{refusal}; this one is {s.Status.ToString().ToLowerInvariant()}.");
        s.Status = to;
        s.StatusReason = reason;
        s.UpdatedAt = time.GetUtcNow().UtcDateTime;
        await journey.WriteStateAsync();
        await Register();
        return new JourneyCommandResult(CampaignCommandStatus.Ok, [], View());
    }

    private JourneyView? View()
    {
        var s = journey.State;
        return s.Versions.Count == 0 ? null : new JourneyView(s.Versions[^1], s.Versions.Count, s.Status, s.CreatedAt, s.UpdatedAt) { StatusReason = s.StatusReason };
    }

    private Task Register()
    {
        var s = journey.State;
        var current = s.Versions[^1];
        var registration = s.Status == JourneyStatus.Draft ? null : new JourneyRegistration(JourneyId, s.Status, [.. s.Versions]);
        return GrainFactory.GetGrain<IJourneyCatalogGrain>(AppId).Put(new JourneyListing(JourneyId, current.Name, s.Status, s.Versions.Count, current.Steps.Length), registration);
    }

    private static JourneyCommandResult Refused(CampaignCommandStatus status, string error) => new(status, [error], null);
}

[GenerateSerializer, Alias("segments.JourneyCatalogState")]
public sealed class JourneyCatalogState
{
    [Id(0)] public Dictionary<string, JourneyListing> Journeys { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The journeys that are not drafts, with every version, for the user grains.</summary>
    [Id(1)] public Dictionary<string, JourneyRegistration> Registrations { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Goes up with every change of <see cref="Registrations"/>.</summary>
    [Id(2)] public long Version { get; set; }
}

/// <summary>The app's list of journeys, each entry written by its journey grain, and what user grains walk.</summary>
public sealed class JourneyCatalogGrain(
    [PersistentState("journeys", SegmentsStorage.Name)] IPersistentState<JourneyCatalogState> catalog,
    JourneyCache cache) : Grain, IJourneyCatalogGrain
{
    async Task IJourneyCatalogGrain.Put(JourneyListing listing, JourneyRegistration? registration)
    {
        var s = catalog.State;
        bool listed = s.Journeys.TryGetValue(listing.Id, out var known) && known == listing;
        // Why: a launched journey's versions are only ever appended, so the status and the number of versions say
        // whether the registration changed (definitions read back from storage are equal but not the same arrays).
        bool registered = registration is null
            ? !s.Registrations.ContainsKey(listing.Id)
            : s.Registrations.TryGetValue(listing.Id, out var current) && current.Status == registration.Status && current.Versions.Length == registration.Versions.Length;
        if (listed && registered) return;
        s.Journeys[listing.Id] = listing;
        if (!registered)
        {
            if (registration is null) s.Registrations.Remove(listing.Id);
            else s.Registrations[listing.Id] = registration;
            s.Version++;
        }

        await catalog.WriteStateAsync();
        if (!registered) cache.Invalidate(this.GetPrimaryKeyString());
    }

    Task<JourneyRegistrySnapshot> IJourneyCatalogGrain.GetSnapshot() =>
        Task.FromResult(new JourneyRegistrySnapshot(catalog.State.Version, [.. catalog.State.Registrations.Values]));

    Task<JourneyListing[]> IJourneyCatalogGrain.List() =>
        Task.FromResult(catalog.State.Journeys.Values.OrderBy(j => j.Id, StringComparer.Ordinal).ToArray());
}
