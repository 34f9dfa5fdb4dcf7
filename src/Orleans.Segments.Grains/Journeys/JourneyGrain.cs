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
/// template) and against the app's segments and geofences; the app's catalog is told of every change.
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

        var now = time.GetUtcNow().UtcDateTime;
        bool created = s.Versions.Count == 0;
        if (created)
        {
            s.CreatedAt = now;
            s.Versions.Add(definition);
        }
        else
        {
            s.Versions[^1] = definition;
        }

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

    private JourneyView? View()
    {
        var s = journey.State;
        return s.Versions.Count == 0 ? null : new JourneyView(s.Versions[^1], s.Versions.Count, s.Status, s.CreatedAt, s.UpdatedAt) { StatusReason = s.StatusReason };
    }

    private Task Register()
    {
        var s = journey.State;
        var current = s.Versions[^1];
        return GrainFactory.GetGrain<IJourneyCatalogGrain>(AppId).Put(new JourneyListing(JourneyId, current.Name, s.Status, s.Versions.Count, current.Steps.Length));
    }

    private static JourneyCommandResult Refused(CampaignCommandStatus status, string error) => new(status, [error], null);
}

[GenerateSerializer, Alias("segments.JourneyCatalogState")]
public sealed class JourneyCatalogState
{
    [Id(0)] public Dictionary<string, JourneyListing> Journeys { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>The app's list of journeys, each entry written by its journey grain.</summary>
public sealed class JourneyCatalogGrain(
    [PersistentState("journeys", SegmentsStorage.Name)] IPersistentState<JourneyCatalogState> catalog) : Grain, IJourneyCatalogGrain
{
    async Task IJourneyCatalogGrain.Put(JourneyListing listing)
    {
        if (catalog.State.Journeys.TryGetValue(listing.Id, out var known) && known == listing) return;
        catalog.State.Journeys[listing.Id] = listing;
        await catalog.WriteStateAsync();
    }

    Task<JourneyListing[]> IJourneyCatalogGrain.List() =>
        Task.FromResult(catalog.State.Journeys.Values.OrderBy(j => j.Id, StringComparer.Ordinal).ToArray());
}
