using Orleans.Segments.Campaigns;
using Orleans.Segments.Segments;
using Orleans.Segments.Server.Apps;

namespace Orleans.Segments.Server.Hosting;

/// <summary>
/// Once the server is up, reports stored segments, geofences and campaigns whose ids break today's id rule
/// (<see cref="ResourceId"/>): ones saved before the rule was anchored (an id ending in a newline). They keep
/// working; the operator is told which to recreate under a valid id.
/// </summary>
public sealed partial class IdAudit(
    IHostApplicationLifetime lifetime,
    AppCatalog catalog,
    IGrainFactory grains,
    ILogger<IdAudit> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() => _ = AuditAsync(lifetime.ApplicationStopping));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The ids of every app that break the rule, as "kind 'id' of app"; also logged.</summary>
    public async Task<IReadOnlyList<string>> AuditAsync(CancellationToken cancellationToken)
    {
        var found = new List<string>();
        foreach (string appId in catalog.AppIds)
        {
            if (cancellationToken.IsCancellationRequested) break;
            try
            {
                var definitions = await grains.GetGrain<ISegmentCatalogGrain>(appId).GetSnapshot();
                var campaigns = await grains.GetGrain<ICampaignRegistryGrain>(appId).GetSnapshot();
                foreach (var (kind, id) in InvalidIds(definitions, campaigns))
                {
                    LogInvalidId(kind, id, appId);
                    found.Add($"{kind} '{id}' of {appId}");
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogAuditFailed(appId, ex);
            }
        }

        return found;
    }

    /// <summary>The stored ids that break the rule, by kind, printable.</summary>
    public static IEnumerable<(string Kind, string Id)> InvalidIds(CatalogSnapshot definitions, CampaignRegistrySnapshot campaigns) =>
        definitions.Segments.Select(s => ("segment", s.Id))
            .Concat(definitions.Geofences.Select(g => ("geofence", g.Id)))
            .Concat(campaigns.Campaigns.Select(c => ("campaign", c.Definition.Id)))
            .Where(i => !ResourceId.IsValid(i.Item2))
            .Select(i => (i.Item1, ResourceId.Printable(i.Item2)));

    [LoggerMessage(EventId = 20, Level = LogLevel.Warning, Message =
        "The {Kind} '{Id}' of app {AppId} has an id that breaks the id rule (1-64 of a-z, 0-9, '-', '_'); it still works, but recreate it under a valid id and delete it")]
    private partial void LogInvalidId(string kind, string id, string appId);

    [LoggerMessage(EventId = 21, Level = LogLevel.Warning, Message = "Could not audit the ids of app {AppId}")]
    private partial void LogAuditFailed(string appId, Exception exception);
}
