using Orleans.Segments.Campaigns;
using Orleans.Segments.Contracts;
using CampaignSummary = Orleans.Segments.Contracts.CampaignSummary;
using CampaignView = Orleans.Segments.Contracts.CampaignView;
using Orleans.Segments.Domain.Campaigns;
using Orleans.Segments.Server.Application;
using Orleans.Segments.Server.Apps;

namespace Orleans.Segments.Server.Apis;

/// <summary>Campaigns of the caller's app: define, launch, pause, resume, cancel, send now, and read their statistics.</summary>
public static class CampaignsApi
{
    private const int MaxBodyBytes = 64 * 1024;

    public static IEndpointRouteBuilder MapCampaignsApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/v1/campaigns").WithTags("Campaigns").AddEndpointFilter<AdminAuthFilter>();
        api.MapGet("", List).WithName("ListCampaigns").WithSummary("Every campaign with its status.")
            .Answers<CampaignList>().AdminList();
        api.MapPut("/{id}", Put).WithName("PutCampaign")
            .WithSummary("Creates or changes a campaign: audience, category, priority, trigger, message templates (Liquid), variants, holdout, caps, quiet hours, conversion.")
            .Body<CampaignInput>().Example(ApiDocs.CampaignExample).Answers<CampaignView>().Answers<CampaignView>(StatusCodes.Status201Created).Admin().Problems(StatusCodes.Status409Conflict);
        api.MapGet("/{id}", Get).WithName("GetCampaign").WithSummary("The campaign, its status (and why) and its broadcast progress.")
            .Answers<CampaignView>().Admin().Problems(StatusCodes.Status404NotFound);
        Command(api.MapPost("/{id}/launch", (string id, HttpContext http, IGrainFactory grains, CancellationToken ct) => Command(id, http, grains, ct, (g, _) => g.Launch()))
            .WithName("LaunchCampaign").WithSummary("Starts the campaign: triggers fire and schedules run."));
        Command(api.MapPost("/{id}/pause", (string id, HttpContext http, IGrainFactory grains, CancellationToken ct) => Command(id, http, grains, ct, (g, reason) => g.Pause(reason ?? "paused by a campaign manager")))
            .WithName("PauseCampaign").WithSummary("Pauses the campaign; an optional body {\"reason\"} is shown as its status reason."));
        Command(api.MapPost("/{id}/resume", (string id, HttpContext http, IGrainFactory grains, CancellationToken ct) => Command(id, http, grains, ct, (g, _) => g.Resume()))
            .WithName("ResumeCampaign").WithSummary("Resumes a paused campaign."));
        Command(api.MapPost("/{id}/cancel", (string id, HttpContext http, IGrainFactory grains, CancellationToken ct) => Command(id, http, grains, ct, (g, _) => g.Cancel()))
            .WithName("CancelCampaign").WithSummary("Stops the campaign for good."));
        Command(api.MapPost("/{id}/send", (string id, HttpContext http, IGrainFactory grains, CancellationToken ct) => Command(id, http, grains, ct, (g, _) => g.SendNow()))
            .WithName("SendCampaignNow").WithSummary("Starts a broadcast of a manual campaign to its audience now."));
        api.MapGet("/{id}/stats", Stats).WithName("CampaignStats")
            .WithSummary("targeted, suppressed by reason, sent, delivered, failed by reason, opened, converted, optedOut and rates, per variant and holdout.")
            .Answers<CampaignStatsView>().Admin().Problems(StatusCodes.Status404NotFound);
        return routes;
    }

    /// <summary>A status command: an optional body, the campaign's view, and 404, 409 or 400 when it cannot be done.</summary>
    private static void Command(RouteHandlerBuilder route) =>
        route.Body<CampaignCommandInput>(optional: true).Answers<CampaignView>().Admin().Problems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);

    private static async Task<IResult> List(HttpContext http, IGrainFactory grains)
    {
        var snapshot = await grains.GetGrain<ICampaignRegistryGrain>(AdminAuthFilter.Caller(http).AppId).GetSnapshot();
        return Results.Ok(new CampaignList(snapshot.Campaigns.OrderBy(c => c.Definition.Id, StringComparer.Ordinal)
            .Select(c => new CampaignSummary(c.Definition.Id, c.Definition.Name, CampaignGrain.Wire(c.Status), CampaignContract.CategoryWire(c.Definition.Category)))
            .ToArray()));
    }

    private static async Task<IResult> Put(string id, HttpContext http, CampaignService campaigns, CancellationToken ct)
    {
        if (SegmentsApi.InvalidId(id) is { } invalid) return invalid;
        var (input, json, error) = await ContractBody.ReadDefinitionAsync(http, ContractsJson.Default.CampaignInput, MaxBodyBytes, ct);
        if (error is not null) return error;
        string app = AdminAuthFilter.Caller(http).AppId;
        var saved = input is not null ? await campaigns.SaveAsync(app, id, input) : await campaigns.SaveAsync(app, id, json!.Value);

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
        var (reason, error) = await ContractBody.ReadCommandReasonAsync(http, ct);
        if (error is not null) return error;
        return Answer(await command(Grain(grains, http, id), reason));
    }

    private static async Task<IResult> Stats(string id, HttpContext http, IGrainFactory grains)
    {
        if (SegmentsApi.InvalidId(id) is { } invalid) return invalid;
        var grain = Grain(grains, http, id);
        if (await grain.Get() is null) return Problems.NotFound($"No campaign '{id}' in this app.");
        var stats = await grain.GetStats();
        return Results.Ok(new CampaignStatsView(id, Counts(stats.Total()), stats.Variants.OrderBy(v => v.Key, StringComparer.Ordinal).ToDictionary(v => v.Key, v => Counts(v.Value))));
    }

    /// <summary>
    /// The counts of one arm and their rates. <c>sent</c> counts messages APNs/FCM accepted for at least one
    /// device, which is also all <c>delivered</c> can mean: the providers give no later receipt.
    /// </summary>
    private static ArmCounts Counts(VariantStats s) => new(
        s.Targeted, s.SuppressedTotal, s.Suppressed, s.Sent, s.Sent, s.FailedTotal, s.Failed, s.Pending, s.Opened, s.Converted, s.OptedOut,
        new ArmRates(Rate(s.Sent, s.Sent + s.FailedTotal), Rate(s.Opened, s.Sent), Rate(s.Converted, s.Targeted), Rate(s.OptedOut, s.Sent)),
        ByLanguage(s));

    /// <summary>Sent, opened and converted per translation (<c>default</c>: the default texts), or null before any push.</summary>
    internal static Dictionary<string, LanguageCounts>? ByLanguage(VariantStats s) => s.SentByLanguage.Count == 0 && s.OpenedByLanguage.Count == 0
        ? null
        : s.SentByLanguage.Keys.Union(s.OpenedByLanguage.Keys).Union(s.ConvertedByLanguage.Keys).Order(StringComparer.Ordinal).ToDictionary(
            l => l,
            l => new LanguageCounts(s.SentByLanguage.GetValueOrDefault(l), s.OpenedByLanguage.GetValueOrDefault(l), s.ConvertedByLanguage.GetValueOrDefault(l),
                Rate(s.OpenedByLanguage.GetValueOrDefault(l), s.SentByLanguage.GetValueOrDefault(l))),
            StringComparer.Ordinal);

    private static double? Rate(long part, long whole) => whole == 0 ? null : Math.Round((double)part / whole, 6);

    private static IResult Answer(CampaignCommandResult result) => result.Status switch
    {
        CampaignCommandStatus.Ok or CampaignCommandStatus.Created => Results.Ok(View(result.Campaign!)),
        CampaignCommandStatus.NotFound => Problems.NotFound(result.Errors.FirstOrDefault() ?? "No such campaign."),
        CampaignCommandStatus.Conflict => Problems.Conflict(result.Errors.FirstOrDefault() ?? "Not allowed now.", result.Errors),
        _ => Problems.BadRequest("The campaign is invalid.", result.Errors),
    };

    private static CampaignView View(Orleans.Segments.Campaigns.CampaignView v) => new(
        v.Definition.Id,
        CampaignGrain.Wire(v.Status),
        v.StatusReason,
        v.CreatedAt,
        v.UpdatedAt,
        v.LaunchedAt,
        v.NextOccurrenceAt,
        v.Broadcast is { } b ? Progress(b) : null,
        v.PastBroadcasts.Select(Progress).ToArray(),
        CampaignContract.Write(v.Definition));

    private static BroadcastView Progress(BroadcastProgress p) => new(p.Occurrence, p.State, p.StartedAt, p.FinishedAt, p.Offered, p.AudienceAtStart);

    private static ICampaignGrain Grain(IGrainFactory grains, HttpContext http, string id) =>
        grains.GetGrain<ICampaignGrain>(CampaignGrain.Key(AdminAuthFilter.Caller(http).AppId, id));
}
