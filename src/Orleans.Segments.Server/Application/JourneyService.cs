using System.Text.Json;
using Orleans.Segments.Campaigns;
using Orleans.Segments.Contracts;
using Orleans.Segments.Journeys;
using Orleans.Segments.Server.Apis;

namespace Orleans.Segments.Server.Application;

/// <summary>
/// Journeys of one app, for the JSON API (and the console, when it shows them): list, define (from the API's JSON
/// shape, checked by <see cref="JourneyContract"/> and then by the journey grain against the app's segments),
/// read and archive.
/// </summary>
public sealed class JourneyService(IGrainFactory grains)
{
    public Task<JourneyListing[]> ListAsync(string app) => grains.GetGrain<IJourneyCatalogGrain>(app).List();

    public Task<Journeys.JourneyView?> GetAsync(string app, string id) => Grain(app, id).Get();

    /// <summary>Reads a definition that the contract's fast path refused, naming every wrong field.</summary>
    public Task<JourneyCommandResult> SaveAsync(string app, string id, JsonElement body)
    {
        var errors = new List<string>();
        return SaveAsync(app, id, JourneyContract.Read(id, body, errors), errors);
    }

    public Task<JourneyCommandResult> SaveAsync(string app, string id, JourneyInput input)
    {
        var errors = new List<string>();
        var definition = JourneyContract.ToDefinition(id, input, errors);
        return SaveAsync(app, id, errors.Count == 0 ? definition : null, errors);
    }

    public Task<JourneyCommandResult> ArchiveAsync(string app, string id, string? reason = null) => Grain(app, id).Archive(reason);

    /// <summary>The journeys (not archived) whose definition names the segment or geofence, for refusing its deletion.</summary>
    public static async Task<string[]> UsersOf(IGrainFactory grains, string app, string kind, string id)
    {
        var listed = (await grains.GetGrain<IJourneyCatalogGrain>(app).List()).Where(j => j.Status != JourneyStatus.Archived).ToList();
        var views = await Task.WhenAll(listed.Select(j => grains.GetGrain<IJourneyGrain>(JourneyGrain.Key(app, j.Id)).Get()));
        return [.. views.OfType<Journeys.JourneyView>().Where(v => v.Definition.References().Contains((kind, id))).Select(v => v.Definition.Id)];
    }

    private async Task<JourneyCommandResult> SaveAsync(string app, string id, Domain.Journeys.JourneyDefinition? definition, List<string> errors) =>
        definition is null ? new JourneyCommandResult(CampaignCommandStatus.Invalid, [.. errors], null) : await Grain(app, id).Put(definition);

    private IJourneyGrain Grain(string app, string id) => grains.GetGrain<IJourneyGrain>(JourneyGrain.Key(app, id));
}
