using Orleans.Segments.Campaigns;
using Orleans.Segments.Contracts;
using Orleans.Segments.Journeys;
using Orleans.Segments.Server.Application;
using Orleans.Segments.Server.Apps;
using JourneyView = Orleans.Segments.Contracts.JourneyView;

namespace Orleans.Segments.Server.Apis;

/// <summary>
/// Journeys of the caller's app: define (validated as a whole graph, each problem with its path), read, list,
/// launch, pause, resume and archive; put a user in by the API; read the counts per version and step, and a user's
/// runs. Users walk journeys in their own grains (see <c>UserGrain.Journeys</c>).
/// </summary>
public static class JourneysApi
{
    /// <summary>The largest definition accepted (the limit; 50 steps with long templates fit).</summary>
    public const int MaxBodyBytes = 64 * 1024;

    /// <summary>The largest enter call: a user id and up to 50 short properties.</summary>
    private const int MaxEnterBytes = 16 * 1024;

    private const int MaxProperties = 50;

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
            .WithSummary("Archives the journey for good: its users leave with the reason 'archived'; an optional body {\"reason\"} is shown as its status reason. Its definition stays readable.")
            .Body<CampaignCommandInput>(optional: true).Answers<JourneyView>().Admin().Problems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        api.MapPost("/{id}/launch", Launch).WithName("LaunchJourney")
            .WithSummary("Makes a draft live: from now on its entry takes users in. A change of a live journey then makes a new version. An optional body {\"reason\"} is shown as its status reason.")
            .Body<CampaignCommandInput>(optional: true).Answers<JourneyView>().Admin().Problems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        api.MapPost("/{id}/pause", Pause).WithName("PauseJourney")
            .WithSummary("Holds a live journey's users where they are and takes no one in; an optional body {\"reason\"} is shown as its status reason.")
            .Body<CampaignCommandInput>(optional: true).Answers<JourneyView>().Admin().Problems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        api.MapPost("/{id}/resume", Resume).WithName("ResumeJourney")
            .WithSummary("Lets a paused journey's users move on again (within 15 minutes) and takes users in again; an optional body {\"reason\"} is shown as its status reason.")
            .Body<CampaignCommandInput>(optional: true).Answers<JourneyView>().Admin().Problems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        api.MapPost("/{id}/enter", Enter).WithName("EnterJourney")
            .WithSummary("Puts a known user into a live journey whose entry is 'api', with properties its messages can use as {{ journey.<name> }}; answers whether they entered and, if not, why.")
            .Body<JourneyEnterInput>().Answers<JourneyEnterResult>().Admin().Problems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        api.MapGet("/{id}/stats", Stats).WithName("JourneyStats")
            .WithSummary("The journey's counts per version and step: entered, at each step now, moved on by path, left by reason, messages sent, suppressed, failed, opened, and conversions beside the global control group's.")
            .Answers<JourneyStatsView>().Admin().Problems(StatusCodes.Status404NotFound);
        routes.MapGet("/v1/users/{userId}/journeys", UserJourneys).WithTags("Journeys").AddEndpointFilter<AdminAuthFilter>().WithName("UserJourneys")
            .WithSummary("The user's journey runs: where they are and since when, what they did, and why they left.")
            .Answers<UserJourneys>().Admin().Problems(StatusCodes.Status404NotFound);
        return routes;
    }

    private static async Task<IResult> Launch(string id, HttpContext http, JourneyService journeys, CancellationToken ct)
    {
        if (SegmentsApi.InvalidId(id) is { } invalid) return invalid;
        var (reason, error) = await ContractBody.ReadCommandReasonAsync(http, ct);
        if (error is not null) return error;
        return Answer(await journeys.LaunchAsync(AdminAuthFilter.Caller(http).AppId, id, reason));
    }

    private static async Task<IResult> Pause(string id, HttpContext http, JourneyService journeys, CancellationToken ct)
    {
        if (SegmentsApi.InvalidId(id) is { } invalid) return invalid;
        var (reason, error) = await ContractBody.ReadCommandReasonAsync(http, ct);
        if (error is not null) return error;
        return Answer(await journeys.PauseAsync(AdminAuthFilter.Caller(http).AppId, id, reason));
    }

    private static async Task<IResult> Resume(string id, HttpContext http, JourneyService journeys, CancellationToken ct)
    {
        if (SegmentsApi.InvalidId(id) is { } invalid) return invalid;
        var (reason, error) = await ContractBody.ReadCommandReasonAsync(http, ct);
        if (error is not null) return error;
        return Answer(await journeys.ResumeAsync(AdminAuthFilter.Caller(http).AppId, id, reason));
    }

    private static async Task<IResult> Enter(string id, HttpContext http, JourneyService journeys, CancellationToken ct)
    {
        if (SegmentsApi.InvalidId(id) is { } invalid) return invalid;
        var (input, error) = await ContractBody.ReadAsync(http, ContractsJson.Default.JourneyEnterInput, MaxEnterBytes, "enter call", ct);
        if (error is not null) return error;
        string app = AdminAuthFilter.Caller(http).AppId;
        var view = await journeys.GetAsync(app, id);
        if (view is null) return Problems.NotFound($"No journey '{id}' in this app.");

        var errors = new List<string>();
        if (input!.UserId is not { } userId || !UserService.IsValidUserId(userId)) errors.Add("userId: required, 1 to 256 characters with no control characters.");
        var properties = input.Properties ?? [];
        if (properties.Count > MaxProperties) errors.Add($"properties: {properties.Count} properties, at most {MaxProperties}.");
        foreach (var (name, value) in properties.Take(MaxProperties))
        {
            if (name.Length is 0 or > 64 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')) errors.Add("properties: a name is 1 to 64 letters, digits or '_'.");
            else if (value is null || value.Length > 1000) errors.Add($"properties.{name}: a string of at most 1000 characters.");
        }

        if (errors.Count > 0) return Problems.BadRequest("The enter call is invalid.", [.. errors.Distinct()]);
        if (view.Status != JourneyStatus.Live) return Problems.Conflict($"The journey is {Wire(view.Status)}; only a live journey takes users in.", []);
        if (view.Definition.Entry.Kind != Domain.Journeys.JourneyEntryKind.Api)
        {
            return Problems.Conflict("The journey's entry is not 'api': it takes users in by its own entry, not by this call.", []);
        }

        string? reason = await journeys.EnterAsync(app, id, input.UserId!, properties.Count == 0 ? null : properties);
        if (reason == "unknown_user") return Problems.NotFound($"No user '{input.UserId}' in this app.");
        if (reason == "journey_not_live") return Problems.Conflict("The journey is no longer live.", []);
        return Results.Ok(new JourneyEnterResult(id, input.UserId!, reason is null, reason));
    }

    private static async Task<IResult> Stats(string id, HttpContext http, JourneyService journeys)
    {
        if (SegmentsApi.InvalidId(id) is { } invalid) return invalid;
        string app = AdminAuthFilter.Caller(http).AppId;
        var view = await journeys.GetAsync(app, id);
        if (view is null) return Problems.NotFound($"No journey '{id}' in this app.");
        return Results.Ok(JourneyService.StatsView(view, await journeys.StatsAsync(app, id)));
    }

    private static async Task<IResult> UserJourneys(string userId, HttpContext http, IGrainFactory grains)
    {
        if (UsersApi.InvalidUserId(userId) is { } invalid) return invalid;
        var grain = grains.GetGrain<Users.IUserGrain>(Users.UserKey.Known(AdminAuthFilter.Caller(http).AppId, userId).GrainKey);
        if (await grain.GetProfile() is null) return Problems.NotFound($"No user '{userId}' in this app.");
        var runs = await grain.GetJourneys();
        return Results.Ok(new UserJourneys(userId, [.. runs.Select(JourneyService.RunView)]));
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

    public static string Wire(JourneyStatus status) => status.ToString().ToLowerInvariant();

    private static JourneyView View(Journeys.JourneyView v) =>
        new(v.Definition.Id, Wire(v.Status), v.StatusReason, v.Version, v.CreatedAt, v.UpdatedAt, JourneyContract.Write(v.Definition));
}
