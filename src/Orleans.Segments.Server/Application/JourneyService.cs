using System.Text.Json;
using Orleans.Segments.Campaigns;
using Orleans.Segments.Contracts;
using Orleans.Segments.Domain.Campaigns;
using Orleans.Segments.Domain.Journeys;
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

    public Task<JourneyCommandResult> LaunchAsync(string app, string id, string? reason = null) => Grain(app, id).Launch(reason);

    public Task<JourneyCommandResult> PauseAsync(string app, string id, string? reason = null) => Grain(app, id).Pause(reason);

    public Task<JourneyCommandResult> ResumeAsync(string app, string id, string? reason = null) => Grain(app, id).Resume(reason);

    /// <summary>Puts the user in; null when they entered, else why not (see <see cref="Users.IUserGrain.EnterJourney"/>).</summary>
    public Task<string?> EnterAsync(string app, string id, string userId, Dictionary<string, string>? properties) =>
        grains.GetGrain<Users.IUserGrain>(Users.UserKey.Known(app, userId).GrainKey).EnterJourney(id, properties);

    public Task<JourneyStats> StatsAsync(string app, string id) => Grain(app, id).GetStats();

    /// <summary>The counts per version and step, in the order of the journey's steps; versions newest first.</summary>
    public static JourneyStatsView StatsView(Journeys.JourneyView journey, JourneyStats stats)
    {
        var arms = stats.Counts.Variants;
        var versions = new List<JourneyVersionStats>();
        for (int version = journey.Version; version >= 1; version--)
        {
            // Why: earlier versions' definitions are not part of the view; their steps are the ones their counts name.
            var definition = journey.Definition;
            var stepIds = version == journey.Version
                ? definition.Steps.Select(s => s.Id).ToList()
                : arms.Keys.Select(JourneyStatsKeys.Parse).Where(p => p is { } v && v.Version == version && !v.Step.StartsWith('*'))
                    .Select(p => p!.Value.Step.Split('#')[0]).Distinct().Order(StringComparer.Ordinal).ToList();
            if (version != journey.Version && stepIds.Count == 0 && !arms.ContainsKey(JourneyStatsKeys.Arm(version, JourneyStatsKeys.Whole))) continue;

            var whole = arms.GetValueOrDefault(JourneyStatsKeys.Arm(version, JourneyStatsKeys.Whole)) ?? new VariantStats();
            var control = arms.GetValueOrDefault(JourneyStatsKeys.Arm(version, JourneyStatsKeys.ControlGroup)) ?? new VariantStats();
            var steps = stepIds.Select(stepId =>
            {
                var counts = arms.GetValueOrDefault(JourneyStatsKeys.Arm(version, stepId)) ?? new VariantStats();
                string variantPrefix = JourneyStatsKeys.VariantArm(version, stepId, "");
                var variants = arms.Where(a => a.Key.StartsWith(variantPrefix, StringComparison.Ordinal)).OrderBy(a => a.Key, StringComparer.Ordinal).ToList();
                var sent = new VariantStats();
                sent.Merge(counts);
                foreach (var (_, variant) in variants) sent.Merge(variant);
                var step = version == journey.Version ? definition.Step(stepId) : null;
                string type = step?.Kind.ToString().ToLowerInvariant() ?? "unknown";
                var messages = step is { Kind: JourneyStepKind.Message } || sent.Targeted > 0 ? Messages(sent) : null;
                return new JourneyStepStats(stepId, type, counts.Reached, counts.AtStep, counts.Moved, counts.Exited, messages)
                {
                    Variants = variants.Count == 0 ? null : variants.ToDictionary(v => v.Key[variantPrefix.Length..], v => Messages(v.Value), StringComparer.Ordinal),
                    Conversions = counts.ConvertedByPath.ToDictionary(
                        p => p.Key, p => new JourneyPathConversions(p.Value, Rate(p.Value, counts.Moved.GetValueOrDefault(p.Key))), StringComparer.Ordinal),
                };
            });
            versions.Add(new JourneyVersionStats(version, whole.Entered, whole.Converted, Rate(whole.Converted, whole.Entered),
                new JourneyGroupStats(control.Entered, control.Converted, Rate(control.Converted, control.Entered)), [.. steps]));
        }

        return new JourneyStatsView(journey.Definition.Id, JourneysApi.Wire(journey.Status), [.. versions]);
    }

    public static UserJourneyRun RunView(JourneyPosition run) => new(
        run.JourneyId, run.Version, run.Active ? "active" : "ended", run.StepId, run.EnteredAt, run.StepSince, run.WaitUntil, run.LeftAt, run.ExitReason,
        run.Converted, run.Properties, [.. run.Trail.Select(t => new UserJourneyTrailEntry(t.Kind.ToString().ToLowerInvariant(), t.StepId, t.At, t.Detail))]);

    private static JourneyMessageStats Messages(VariantStats c) => new(c.Targeted, c.Sent, c.Suppressed, c.Failed, c.Opened, c.Converted, Apis.CampaignsApi.ByLanguage(c));

    private static double Rate(long part, long whole) => whole == 0 ? 0 : Math.Round((double)part / whole, 4);

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
