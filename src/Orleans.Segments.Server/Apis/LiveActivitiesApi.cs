using System.Text.Json;
using Orleans.Segments.Contracts;
using Orleans.Segments.Domain.Events;
using Orleans.Segments.LiveActivities;
using Orleans.Segments.Server.Apps;
using Orleans.Segments.Users;

namespace Orleans.Segments.Server.Apis;

/// <summary>
/// Live Activities (iOS): the app's backend registers each activity's push token for its user, then updates and
/// ends the activity by its id; each becomes an APNs <c>liveactivity</c> push to the activity's live tokens.
/// </summary>
public static class LiveActivitiesApi
{
    private const int MaxBodyBytes = 8 * 1024;

    public static IEndpointRouteBuilder MapLiveActivitiesApi(this IEndpointRouteBuilder routes)
    {
        routes.MapPut("/v1/users/{userId}/live-activities/{activityId}", Register).WithTags("Live Activities").AddEndpointFilter<AdminAuthFilter>()
            .WithName("RegisterLiveActivity")
            .WithSummary("Records a Live Activity's push token (from ActivityKit's pushTokenUpdates) for the user; the activity is then updated by its id.")
            .Body<LiveActivityTokenInput>().Answers<LiveActivityAnswer>().Admin().Problems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        routes.MapPost("/v1/live-activities/{activityId}/update", Update).WithTags("Live Activities").AddEndpointFilter<AdminAuthFilter>()
            .WithName("UpdateLiveActivity")
            .WithSummary("Sends the activity's new content state to every device it runs on (APNs push type liveactivity).")
            .Body<LiveActivityUpdateInput>().Answers<LiveActivityPushAnswer>().Admin().Problems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        routes.MapPost("/v1/live-activities/{activityId}/end", End).WithTags("Live Activities").AddEndpointFilter<AdminAuthFilter>()
            .WithName("EndLiveActivity")
            .WithSummary("Ends the activity on every device, with its final content state and when it leaves the lock screen.")
            .Body<LiveActivityUpdateInput>(optional: true).Answers<LiveActivityPushAnswer>().Admin().Problems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        routes.MapGet("/v1/live-activities/{activityId}", Get).WithTags("Live Activities").AddEndpointFilter<AdminAuthFilter>()
            .WithName("GetLiveActivity")
            .WithSummary("The activity: its user, live and dead tokens, updates, and the priority-10 pushes of the last hour.")
            .Answers<LiveActivityAnswer>().Admin().Problems(StatusCodes.Status404NotFound);
        return routes;
    }

    private static ILiveActivityGrain Grain(IGrainFactory grains, HttpContext http, string activityId) =>
        grains.GetGrain<ILiveActivityGrain>(LiveActivityGrain.Key(AdminAuthFilter.Caller(http).AppId, activityId));

    private static IResult? InvalidActivityId(string activityId) => ResourceId.IsValid(activityId)
        ? null
        : Problems.BadRequest($"'{ResourceId.Printable(activityId)}' is not a valid activity id: {ResourceId.Rule}.");

    private static async Task<IResult> Register(string userId, string activityId, HttpContext http, IGrainFactory grains, CancellationToken ct)
    {
        if (UsersApi.InvalidUserId(userId) is { } invalidUser) return invalidUser;
        if (InvalidActivityId(activityId) is { } invalid) return invalid;
        var (input, error) = await ContractBody.ReadAsync(http, ContractsJson.Default.LiveActivityTokenInput, MaxBodyBytes, "token", ct);
        if (error is not null) return error;
        var user = grains.GetGrain<IUserGrain>(UserKey.Known(AdminAuthFilter.Caller(http).AppId, userId).GrainKey);
        if (await user.GetProfile() is null) return Problems.NotFound($"No user '{userId}' in this app.");
        if (input!.Token is null) return Problems.BadRequest("The token is missing.", ["token: required: the activity's push token, in hex, from ActivityKit's pushTokenUpdates."]);
        string token = input.Token.ToLowerInvariant();
        if (!DeviceToken.IsWellFormed(token, PushPlatform.Ios))
        {
            return Problems.BadRequest("The token is not an APNs token.", ["token: an even number of hex digits, at least 64 (Live Activities are iOS only)."]);
        }

        var registered = await Grain(grains, http, activityId).Register(userId, token);
        if (registered.Outcome == LiveActivityOutcome.Ok) await user.TrackLiveActivity(activityId);
        return Answer(registered);
    }

    private static async Task<IResult> Update(string activityId, HttpContext http, IGrainFactory grains, CancellationToken ct) =>
        await Push(activityId, http, grains, end: false, ct);

    private static async Task<IResult> End(string activityId, HttpContext http, IGrainFactory grains, CancellationToken ct) =>
        await Push(activityId, http, grains, end: true, ct);

    private static async Task<IResult> Push(string activityId, HttpContext http, IGrainFactory grains, bool end, CancellationToken ct)
    {
        if (InvalidActivityId(activityId) is { } invalid) return invalid;
        // Why: an end may come without a body; an update without one is told that contentState is required.
        var (input, error) = await ContractBody.ReadOptionalAsync(http, ContractsJson.Default.LiveActivityUpdateInput, MaxBodyBytes, end ? "end" : "update", new LiveActivityUpdateInput(), ct);
        if (error is not null) return error;

        // Why: an unknown activity is said before what is wrong with the body, as for every resource.
        var grain = Grain(grains, http, activityId);
        if (await grain.Get() is null) return Problems.NotFound($"No live activity '{activityId}' in this app: register its token first.");

        var errors = new List<string>();
        var check = new CampaignContract.Check(errors);
        string? contentState = null;
        if (input.ContentState is { } state)
        {
            if (state.ValueKind != JsonValueKind.Object) errors.Add("contentState: must be an object (the activity's ContentState as JSON).");
            else contentState = state.GetRawText();
        }
        else if (!end)
        {
            errors.Add("contentState: required: the activity's new ContentState, as a JSON object.");
        }

        var staleDate = check.Instant(input.StaleDate, "staleDate");
        var dismissalDate = check.Instant(input.DismissalDate, "dismissalDate");
        if (!end && input.DismissalDate is not null) errors.Add("dismissalDate: only an end has one (when the ended activity leaves the lock screen).");
        if (input.RelevanceScore is { } relevance && (double.IsNaN(relevance) || relevance < 0)) errors.Add("relevanceScore: a number of 0 or more.");
        string? title = check.Text(input.Alert?.Title, "alert.title", 500);
        string? body = check.Text(input.Alert?.Body, "alert.body", 2000);
        if (input.Alert is not null && string.IsNullOrWhiteSpace(title) && string.IsNullOrWhiteSpace(body)) errors.Add("alert: needs a title or a body.");
        string priority = check.OneOf(input.Priority, "priority", ["high", "normal"]) ?? "high";
        if (errors.Count > 0) return Problems.BadRequest(end ? "The end is invalid." : "The update is invalid.", errors);

        var request = new LiveActivityRequest(end, contentState, staleDate, dismissalDate, input.RelevanceScore, title, body, priority == "high");
        var result = await grain.Push(request);
        if (result.Outcome != LiveActivityOutcome.Ok || result.Activity is null) return Answer(result);

        // Why: a payload APNs would refuse (over 4 KB) or a provider down are answers about this push, not about the request.
        return Results.Ok(new LiveActivityPushAnswer(result.Sent, result.Failed, result.DeadTokens, result.Priority, result.Downgraded, result.Details, View(result.Activity)));
    }

    private static async Task<IResult> Get(string activityId, HttpContext http, IGrainFactory grains)
    {
        if (InvalidActivityId(activityId) is { } invalid) return invalid;
        return await Grain(grains, http, activityId).Get() is { } view ? Results.Ok(View(view)) : Problems.NotFound($"No live activity '{activityId}' in this app.");
    }

    private static IResult Answer(LiveActivityResult result) => result.Outcome switch
    {
        LiveActivityOutcome.NotFound => Problems.NotFound(result.Error ?? "No such activity."),
        LiveActivityOutcome.Conflict => Problems.Conflict(result.Error ?? "Not now.", [result.Error ?? "conflict"], "Not in this state."),
        LiveActivityOutcome.Invalid => Problems.BadRequest("The push is invalid.", [result.Error ?? "invalid"]),
        _ => Results.Ok(View(result.Activity!)),
    };

    private static LiveActivityAnswer View(LiveActivityView v) => new(
        v.ActivityId, v.UserId, v.Ended ? "ended" : "active", v.RegisteredAt, v.EndedAt, v.LiveTokens, v.DeadTokens, v.Updates, v.LastUpdateAt, v.HighPriorityLastHour);
}
