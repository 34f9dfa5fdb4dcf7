using Orleans.Segments.Campaigns;
using Orleans.Segments.Contracts;
using Orleans.Segments.Journeys;
using Orleans.Segments.Server.Application;
using Orleans.Segments.Server.Apps;
using JourneyView = Orleans.Segments.Contracts.JourneyView;

namespace Orleans.Segments.Server.Apis;

/// <summary>
/// Journeys of the caller's app: define (validated as a whole graph, each problem with its path), read, list and
/// archive. Launching them (and their execution in the user grains) is not built yet: every journey is a draft.
/// </summary>
public static class JourneysApi
{
    /// <summary>The largest definition accepted (the limit; 50 steps with long templates fit).</summary>
    public const int MaxBodyBytes = 64 * 1024;

    public static IEndpointRouteBuilder MapJourneysApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/v1/journeys").WithTags("Journeys").AddEndpointFilter<AdminAuthFilter>();
        api.MapGet("", List).WithName("ListJourneys").WithSummary("Every journey of the app with its status and version.")
            .Answers<JourneyList>().AdminList();
        api.MapPut("/{id}", Put).WithName("PutJourney")
            .WithSummary("Creates or changes a journey (a draft): entry, audience, re-entry, exits, conversion and its steps (message, wait, branch, exit).")
            .Body<JourneyInput>().Example(ApiDocs.JourneyExample).Answers<JourneyView>().Answers<JourneyView>(StatusCodes.Status201Created).Admin().Problems(StatusCodes.Status409Conflict);
        api.MapGet("/{id}", Get).WithName("GetJourney").WithSummary("The journey, its status and its definition.")
            .Answers<JourneyView>().Admin().Problems(StatusCodes.Status404NotFound);
        api.MapPost("/{id}/archive", Archive).WithName("ArchiveJourney")
            .WithSummary("Archives the journey for good; an optional body {\"reason\"} is shown as its status reason. Its definition stays readable.")
            .Body<CampaignCommandInput>(optional: true).Answers<JourneyView>().Admin().Problems(StatusCodes.Status404NotFound);
        return routes;
    }

    private static async Task<IResult> List(HttpContext http, JourneyService journeys) =>
        Results.Ok(new JourneyList([.. (await journeys.ListAsync(AdminAuthFilter.Caller(http).AppId))
            .Select(j => new JourneySummary(j.Id, j.Name, Wire(j.Status), j.Version, j.Steps))]));

    private static async Task<IResult> Put(string id, HttpContext http, JourneyService journeys, CancellationToken ct)
    {
        if (SegmentsApi.InvalidId(id) is { } invalid) return invalid;
        var (input, json, error) = await ContractBody.ReadDefinitionAsync(http, ContractsJson.Default.JourneyInput, MaxBodyBytes, ct);
        if (error is not null) return error;
        string app = AdminAuthFilter.Caller(http).AppId;
        var saved = input is not null ? await journeys.SaveAsync(app, id, input) : await journeys.SaveAsync(app, id, json!.Value);

        return saved.Status == CampaignCommandStatus.Created ? Results.Created($"/v1/journeys/{id}", View(saved.Journey!)) : Answer(saved);
    }

    private static async Task<IResult> Get(string id, HttpContext http, JourneyService journeys)
    {
        if (SegmentsApi.InvalidId(id) is { } invalid) return invalid;
        var view = await journeys.GetAsync(AdminAuthFilter.Caller(http).AppId, id);
        return view is null ? Problems.NotFound($"No journey '{id}' in this app.") : Results.Ok(View(view));
    }

    private static async Task<IResult> Archive(string id, HttpContext http, JourneyService journeys, CancellationToken ct)
    {
        if (SegmentsApi.InvalidId(id) is { } invalid) return invalid;
        var (reason, error) = await ContractBody.ReadCommandReasonAsync(http, ct);
        if (error is not null) return error;
        return Answer(await journeys.ArchiveAsync(AdminAuthFilter.Caller(http).AppId, id, reason));
    }

    private static IResult Answer(JourneyCommandResult result) => result.Status switch
    {
        CampaignCommandStatus.Ok or CampaignCommandStatus.Created => Results.Ok(View(result.Journey!)),
        CampaignCommandStatus.NotFound => Problems.NotFound(result.Errors.FirstOrDefault() ?? "No such journey."),
        CampaignCommandStatus.Conflict => Problems.Conflict(result.Errors.FirstOrDefault() ?? "Not allowed now.", result.Errors),
        _ => Problems.BadRequest("The journey is invalid.", result.Errors),
    };

    private static string Wire(JourneyStatus status) => status == JourneyStatus.Archived ? "archived" : "draft";

    private static JourneyView View(Journeys.JourneyView v) =>
        new(v.Definition.Id, Wire(v.Status), v.StatusReason, v.Version, v.CreatedAt, v.UpdatedAt, JourneyContract.Write(v.Definition));
}
