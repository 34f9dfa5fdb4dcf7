using System.Text.Json;
using Orleans.Segments.Campaigns;
using Orleans.Segments.Domain.Campaigns;
using Orleans.Segments.Segments;
using Orleans.Segments.Server.Apis;
using Orleans.Segments.Users;

namespace Orleans.Segments.Server.Application;

/// <summary>
/// Campaigns of one app, for the JSON API and the console alike: list with their counts, define (from the API's
/// JSON shape, checked by the same reader), run the status commands, read statistics, reach and previews.
/// </summary>
public sealed class CampaignService(IGrainFactory grains, SegmentService segments)
{
    public async Task<IReadOnlyList<CampaignSummary>> ListAsync(string app)
    {
        var registry = await grains.GetGrain<ICampaignRegistryGrain>(app).GetSnapshot();
        var rows = registry.Campaigns.OrderBy(c => c.Definition.Id, StringComparer.Ordinal).ToList();
        var views = await Task.WhenAll(rows.Select(c => Grain(app, c.Definition.Id).Get()));
        var stats = await Task.WhenAll(rows.Select(c => Grain(app, c.Definition.Id).GetStats()));
        return rows.Select((c, i) => new CampaignSummary(c.Definition, c.Status, views[i]?.NextOccurrenceAt, views[i]?.Broadcast, stats[i].Total(), stats[i])).ToList();
    }

    /// <summary>The campaigns' definitions alone (no counts): for reference checks.</summary>
    public async Task<IReadOnlyList<CampaignDefinition>> DefinitionsAsync(string app) =>
        (await grains.GetGrain<ICampaignRegistryGrain>(app).GetSnapshot()).Campaigns.Select(c => c.Definition).OrderBy(d => d.Id, StringComparer.Ordinal).ToList();

    public Task<CampaignView?> GetAsync(string app, string id) => Grain(app, id).Get();

    public Task<CampaignStats> StatsAsync(string app, string id) => Grain(app, id).GetStats();

    /// <summary>Reads a definition in the API's JSON shape and stores it; errors name their path (<c>trigger.at: …</c>).</summary>
    public Task<CampaignSave> SaveAsync(string app, string id, JsonElement body)
    {
        var errors = new List<string>();
        return SaveAsync(app, id, CampaignContract.Read(id, body, errors), errors);
    }

    /// <summary>Saves a definition already read into its contract (the API's common case, read straight from the bytes).</summary>
    public Task<CampaignSave> SaveAsync(string app, string id, Orleans.Segments.Contracts.CampaignInput input)
    {
        var errors = new List<string>();
        var definition = CampaignContract.ToDefinition(id, input, errors);
        return SaveAsync(app, id, errors.Count == 0 ? definition : null, errors);
    }

    private async Task<CampaignSave> SaveAsync(string app, string id, CampaignDefinition? definition, List<string> errors)
    {
        if (definition is null) return new CampaignSave(CampaignCommandStatus.Invalid, errors.ToArray(), null);
        var result = await Grain(app, id).Put(definition);
        return new CampaignSave(result.Status, result.Errors, result.Campaign);
    }

    public Task<CampaignCommandResult> CommandAsync(string app, string id, CampaignCommand command, string? reason = null) => command switch
    {
        CampaignCommand.Launch => Grain(app, id).Launch(),
        CampaignCommand.Pause => Grain(app, id).Pause(reason ?? "paused by a campaign manager"),
        CampaignCommand.Resume => Grain(app, id).Resume(),
        CampaignCommand.Cancel => Grain(app, id).Cancel(),
        _ => Grain(app, id).SendNow(),
    };

    /// <summary>How many users the audience holds now: a segment's exact size, or an inline rule's exact count.</summary>
    public async Task<long?> ReachAsync(string app, string? segment, string? rule, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(segment)) return await segments.GetAsync(app, segment) is { } s ? s.Size : null;
        if (string.IsNullOrWhiteSpace(rule)) return null;
        var check = await segments.CheckAsync(app, rule);
        return check.IsValid ? (await segments.PreviewAsync(app, rule, 0, cancellationToken)).Size : null;
    }

    /// <summary>
    /// The message rendered for <paramref name="userId"/> by the send path's own renderer, and the exact APNs and
    /// FCM requests the senders would make of it.
    /// </summary>
    public async Task<CampaignPreview> PreviewAsync(string app, string campaignId, CampaignMessage message, MessagePriority priority, TimeSpan timeToLive, string userId, string? bundleId, DateTimeOffset now)
    {
        if (message.Validate() is { } invalid) return new CampaignPreview(null, invalid, null, null, []);
        var request = new SendRequest(campaignId, "preview", MessageCategory.Marketing, priority) { TimeToLive = timeToLive };
        var user = grains.GetGrain<IUserGrain>(UserKey.Known(app, userId).GrainKey);
        var preview = await user.Preview(request, message);
        if (preview.Rendered is not { } rendered) return new CampaignPreview(null, preview.Error, null, null, preview.Devices);
        var push = PushMessages.For(message, rendered, request, preview.NotificationId);
        var apns = Push.PushPreview.Apns(push, bundleId, now);
        var fcmToken = preview.Devices.FirstOrDefault(d => d.Platform == Domain.Events.PushPlatform.Android)?.Token ?? "(the device's FCM token)";
        string fcm = Push.PushPreview.Fcm(push, fcmToken, out string? fcmError);

        // Why: a campaign manager checks every language, not only the user's; each is rendered for the same user.
        var languages = new List<LanguagePreview>();
        if (message.Translations is { Count: > 0 } translations)
        {
            foreach (var tag in translations.Keys.Order(StringComparer.Ordinal).Prepend(Locales.Default))
            {
                var texts = tag == Locales.Default ? message with { Translations = null } : message.In(tag);
                var each = await user.Preview(request, texts);
                languages.Add(new LanguagePreview(tag, each.Rendered, each.Error));
            }
        }

        return new CampaignPreview(rendered, null, apns, fcmError is null ? fcm : $"FCM would refuse it: {fcmError}", preview.Devices) { Languages = languages };
    }

    private ICampaignGrain Grain(string app, string id) => grains.GetGrain<ICampaignGrain>(CampaignGrain.Key(app, id));
}

public enum CampaignCommand
{
    Launch,
    Pause,
    Resume,
    Cancel,
    SendNow,
}

/// <summary>A campaign in a list: its definition, status, next run, broadcast in progress and counts.</summary>
public sealed record CampaignSummary(CampaignDefinition Definition, CampaignStatus Status, DateTime? NextRun, BroadcastProgress? Broadcast, VariantStats Total, CampaignStats Stats);

public sealed record CampaignSave(CampaignCommandStatus Status, string[] Errors, CampaignView? Campaign);

public sealed record CampaignPreview(RenderedMessage? Rendered, string? Error, Push.ApnsPreview? Apns, string? Fcm, Domain.Events.DeviceToken[] Devices)
{
    /// <summary>Each language of the message rendered for the same user (empty without translations), the default first.</summary>
    public IReadOnlyList<LanguagePreview> Languages { get; init; } = [];
}

/// <summary>One language of a message rendered for a user, or why it could not be.</summary>
public sealed record LanguagePreview(string Language, RenderedMessage? Rendered, string? Error);
