using Orleans.Segments.Campaigns;
using Orleans.Segments.Domain.Campaigns;
using Orleans.Segments.Server.Application;
using Orleans.Segments.Server.Apps;

namespace Orleans.Segments.Server.Apis;

/// <summary>Campaigns of the caller's app: define, launch, pause, resume, cancel, send now, and read their statistics.</summary>
public static class CampaignsApi
{
    private const int MaxBodyBytes = 64 * 1024;

    private const int CommandBodyBytes = 4 * 1024;

    public static IEndpointRouteBuilder MapCampaignsApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/v1/campaigns").WithTags("Campaigns").AddEndpointFilter<AdminAuthFilter>();
        api.MapGet("", List).WithName("ListCampaigns").WithSummary("Every campaign with its status.");
        api.MapPut("/{id}", Put).WithName("PutCampaign")
            .WithSummary("Creates or changes a campaign: audience, category, priority, trigger, message templates (Liquid), variants, holdout, caps, quiet hours, conversion.");
        api.MapGet("/{id}", Get).WithName("GetCampaign").WithSummary("The campaign, its status (and why) and its broadcast progress.");
        api.MapPost("/{id}/launch", (string id, HttpContext http, IGrainFactory grains, CancellationToken ct) => Command(id, http, grains, ct, (g, _) => g.Launch()))
            .WithName("LaunchCampaign");
        api.MapPost("/{id}/pause", (string id, HttpContext http, IGrainFactory grains, CancellationToken ct) => Command(id, http, grains, ct, (g, reason) => g.Pause(reason ?? "paused by a campaign manager")))
            .WithName("PauseCampaign").WithSummary("Pauses the campaign; an optional body {\"reason\"} is shown as its status reason.");
        api.MapPost("/{id}/resume", (string id, HttpContext http, IGrainFactory grains, CancellationToken ct) => Command(id, http, grains, ct, (g, _) => g.Resume()))
            .WithName("ResumeCampaign");
        api.MapPost("/{id}/cancel", (string id, HttpContext http, IGrainFactory grains, CancellationToken ct) => Command(id, http, grains, ct, (g, _) => g.Cancel()))
            .WithName("CancelCampaign");
        api.MapPost("/{id}/send", (string id, HttpContext http, IGrainFactory grains, CancellationToken ct) => Command(id, http, grains, ct, (g, _) => g.SendNow()))
            .WithName("SendCampaignNow").WithSummary("Starts a broadcast of a manual campaign to its audience now.");
        api.MapGet("/{id}/stats", Stats).WithName("CampaignStats")
            .WithSummary("targeted, suppressed by reason, sent, delivered, failed by reason, opened, converted, optedOut and rates, per variant and holdout.");
        return routes;
    }

    private static async Task<IResult> List(HttpContext http, IGrainFactory grains)
    {
        var snapshot = await grains.GetGrain<ICampaignRegistryGrain>(AdminAuthFilter.Caller(http).AppId).GetSnapshot();
        return Results.Ok(new
        {
            campaigns = snapshot.Campaigns.OrderBy(c => c.Definition.Id, StringComparer.Ordinal).Select(c => new
            {
                id = c.Definition.Id,
                name = c.Definition.Name,
                status = CampaignGrain.Wire(c.Status),
                category = c.Definition.Category == MessageCategory.Transactional ? "transactional" : "marketing",
            }),
        });
    }

    private static async Task<IResult> Put(string id, HttpContext http, CampaignService campaigns, CancellationToken ct)
    {
        if (SegmentsApi.InvalidId(id) is { } invalid) return invalid;
        var (body, error) = await JsonBody.ReadObject(http, MaxBodyBytes, ct);
        if (error is not null) return error;
        var saved = await campaigns.SaveAsync(AdminAuthFilter.Caller(http).AppId, id, body!.Value);
        return saved.Status == CampaignCommandStatus.Created
            ? Results.Created($"/v1/campaigns/{id}", View(saved.Campaign!))
            : Answer(new CampaignCommandResult(saved.Status, saved.Errors, saved.Campaign));
    }

    private static async Task<IResult> Get(string id, HttpContext http, IGrainFactory grains)
    {
        if (SegmentsApi.InvalidId(id) is { } invalid) return invalid;
        var view = await Grain(grains, http, id).Get();
        return view is null ? Problems.NotFound($"No campaign '{id}' in this app.") : Results.Ok(View(view));
    }

    /// <summary>
    /// Runs a status command. Commands need no body; one may carry a <c>reason</c> (shown for a pause), and
    /// like every body it is refused when too large or not a JSON object.
    /// </summary>
    private static async Task<IResult> Command(string id, HttpContext http, IGrainFactory grains, CancellationToken ct, Func<ICampaignGrain, string?, Task<CampaignCommandResult>> command)
    {
        if (SegmentsApi.InvalidId(id) is { } invalid) return invalid;
        string? reason = null;
        if (http.Request.ContentLength > 0 || http.Request.Headers.TransferEncoding.Count > 0)
        {
            var (body, error) = await JsonBody.ReadObject(http, CommandBodyBytes, ct);
            if (error is not null) return error;
            reason = JsonBody.String(body!.Value, "reason");
            if (reason is { Length: 0 or > 500 }) return Problems.BadRequest("'reason' is 1 to 500 characters.");
        }

        return Answer(await command(Grain(grains, http, id), reason));
    }

    private static async Task<IResult> Stats(string id, HttpContext http, IGrainFactory grains)
    {
        if (SegmentsApi.InvalidId(id) is { } invalid) return invalid;
        var grain = Grain(grains, http, id);
        if (await grain.Get() is null) return Problems.NotFound($"No campaign '{id}' in this app.");
        var stats = await grain.GetStats();
        return Results.Ok(new
        {
            campaignId = id,
            total = Counts(stats.Total()),
            variants = stats.Variants.OrderBy(v => v.Key, StringComparer.Ordinal).ToDictionary(v => v.Key, v => Counts(v.Value)),
        });
    }

    /// <summary>
    /// The counts of one arm and their rates. <c>sent</c> counts messages APNs/FCM accepted for at least one
    /// device, which is also all <c>delivered</c> can mean: the providers give no later receipt.
    /// </summary>
    private static object Counts(VariantStats s) => new
    {
        targeted = s.Targeted,
        suppressed = s.SuppressedTotal,
        suppressedBy = s.Suppressed,
        sent = s.Sent,
        delivered = s.Sent,
        failed = s.FailedTotal,
        failedBy = s.Failed,
        pending = s.Pending,
        opened = s.Opened,
        converted = s.Converted,
        optedOut = s.OptedOut,
        rates = new
        {
            delivery = Rate(s.Sent, s.Sent + s.FailedTotal),
            open = Rate(s.Opened, s.Sent),
            conversion = Rate(s.Converted, s.Targeted),
            optOut = Rate(s.OptedOut, s.Sent),
        },
    };

    private static double? Rate(long part, long whole) => whole == 0 ? null : Math.Round((double)part / whole, 6);

    private static IResult Answer(CampaignCommandResult result) => result.Status switch
    {
        CampaignCommandStatus.Ok or CampaignCommandStatus.Created => Results.Ok(View(result.Campaign!)),
        CampaignCommandStatus.NotFound => Problems.NotFound(result.Errors.FirstOrDefault() ?? "No such campaign."),
        CampaignCommandStatus.Conflict => Problems.Conflict(result.Errors.FirstOrDefault() ?? "Not allowed now.", result.Errors),
        _ => Problems.BadRequest("The campaign is invalid.", result.Errors),
    };

    private static object View(CampaignView v) => new
    {
        id = v.Definition.Id,
        status = CampaignGrain.Wire(v.Status),
        statusReason = v.StatusReason,
        createdAt = v.CreatedAt,
        updatedAt = v.UpdatedAt,
        launchedAt = v.LaunchedAt,
        nextOccurrenceAt = v.NextOccurrenceAt,
        broadcast = v.Broadcast is { } b ? Progress(b) : null,
        pastBroadcasts = v.PastBroadcasts.Select(Progress),
        definition = CampaignJson.Write(v.Definition),
    };

    private static object Progress(BroadcastProgress p) => new
    {
        occurrence = p.Occurrence,
        state = p.State,
        startedAt = p.StartedAt,
        finishedAt = p.FinishedAt,
        offered = p.Offered,
        audienceAtStart = p.AudienceAtStart,
    };

    private static ICampaignGrain Grain(IGrainFactory grains, HttpContext http, string id) =>
        grains.GetGrain<ICampaignGrain>(CampaignGrain.Key(AdminAuthFilter.Caller(http).AppId, id));
}
