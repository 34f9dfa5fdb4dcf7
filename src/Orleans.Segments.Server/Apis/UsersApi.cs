using Orleans.Segments.Contracts;
using Orleans.Segments.Domain.Events;
using Orleans.Segments.Server.Apps;
using Orleans.Segments.Server.Ingestion;
using Orleans.Segments.Users;

namespace Orleans.Segments.Server.Apis;

/// <summary>The management API for one user of the caller's app: read, devices, consents, erasure.</summary>
public static class UsersApi
{
    private const int MaxBodyBytes = 4 * 1024;

    public static IEndpointRouteBuilder MapUsersApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/v1/users/{userId}").WithTags("Users").AddEndpointFilter<AdminAuthFilter>();

        api.MapGet("", GetUser).WithName("GetUser").WithSummary("The user's live profile; push tokens are redacted.")
            .Answers<UserProfile>().Admin().Problems(StatusCodes.Status404NotFound);
        api.MapGet("/export", ExportUser).WithName("ExportUser")
            .WithSummary("Everything held about the user (data-subject access): full push tokens, traits, counters, histories, consents.")
            .Answers<UserExport>().Admin().Problems(StatusCodes.Status404NotFound);
        api.MapDelete("", EraseUser).WithName("EraseUser").WithSummary("Erases everything held about the user.")
            .Produces(StatusCodes.Status204NoContent).Admin().Problems(StatusCodes.Status404NotFound);
        api.MapPut("/devices/{token}", PutDevice).WithName("PutDevice")
            .WithSummary("Registers a push token of the user: an APNs token (ios) or an FCM registration token (android).")
            .Body<DeviceInput>().Answers<PushDeviceInfo>().Admin();
        api.MapDelete("/devices/{token}", DeleteDevice).WithName("DeleteDevice").WithSummary("Forgets a push token.")
            .Produces(StatusCodes.Status204NoContent).Admin().Problems(StatusCodes.Status404NotFound);
        api.MapPut("/subscriptions", PutSubscriptions).WithName("PutSubscriptions")
            .WithSummary("Sets the user's consents to marketing and transactional pushes; a consent left out is unchanged.")
            .Body<SubscriptionsInput>().Answers<SubscriptionsInfo>().Admin();
        return routes;
    }

    private static async Task<IResult> GetUser(string userId, HttpContext http, IGrainFactory grains)
    {
        if (InvalidUserId(userId) is { } invalid) return invalid;
        var view = await User(http, grains, userId).GetProfile();
        return view is null ? Problems.NotFound($"No user '{userId}' in this app.") : Results.Ok(UserResponse.From(view));
    }

    private static async Task<IResult> ExportUser(string userId, HttpContext http, IGrainFactory grains, TimeProvider time)
    {
        if (InvalidUserId(userId) is { } invalid) return invalid;
        var state = await User(http, grains, userId).Export();
        if (state is null) return Problems.NotFound($"No user '{userId}' in this app.");

        // Why: the export is the data subject's copy of everything held, so push tokens are not redacted here
        // (GET /v1/users/{userId} redacts them); only the admin key of the user's own app reaches this route.
        http.Response.Headers.CacheControl = "no-store";
        return Results.Ok(new UserExport(userId, AdminAuthFilter.Caller(http).AppId, time.GetUtcNow().UtcDateTime, state));
    }

    private static async Task<IResult> EraseUser(string userId, HttpContext http, IGrainFactory grains)
    {
        if (InvalidUserId(userId) is { } invalid) return invalid;
        return await User(http, grains, userId).Erase() ? Results.NoContent() : Problems.NotFound($"No user '{userId}' in this app.");
    }

    private static async Task<IResult> PutDevice(string userId, string token, HttpContext http, IGrainFactory grains, CancellationToken ct)
    {
        if (InvalidUserId(userId) is { } invalid) return invalid;
        var (body, error) = await ContractBody.ReadAsync(http, ContractsJson.Default.DeviceInput, MaxBodyBytes, "device", ct, maxDepth: 8);
        if (error is not null) return error;
        if (!DeviceToken.TryParsePlatform(body!.Platform, out var platform))
        {
            return Problems.BadRequest("'platform' must be \"ios\" or \"android\".");
        }

        if (!DeviceToken.IsWellFormed(token, platform))
        {
            return Problems.BadRequest(platform == PushPlatform.Ios
                ? "An APNs token is an even number (at least 64) of hexadecimal digits."
                : "An FCM token is 32 to 4096 characters of letters, digits, '-', '_', ':' and '.'.");
        }

        return Results.Ok(UserResponse.Device(await User(http, grains, userId).RegisterDevice(new DeviceToken(token, platform))));
    }

    private static async Task<IResult> DeleteDevice(string userId, string token, HttpContext http, IGrainFactory grains)
    {
        if (InvalidUserId(userId) is { } invalid) return invalid;
        if (token.Length > DeviceToken.MaxLength) return Problems.BadRequest("The token is too long.");
        return await User(http, grains, userId).RemoveDevice(token) ? Results.NoContent() : Problems.NotFound("The user has no such device token.");
    }

    private static async Task<IResult> PutSubscriptions(string userId, HttpContext http, IGrainFactory grains, CancellationToken ct)
    {
        if (InvalidUserId(userId) is { } invalid) return invalid;
        var (body, error) = await ContractBody.ReadAsync(http, ContractsJson.Default.SubscriptionsInput, MaxBodyBytes, "consents object", ct, maxDepth: 8);
        if (error is not null) return error;
        if (body!.Marketing is null && body.Transactional is null) return Problems.BadRequest("Give 'marketing', 'transactional' or both, as true or false.");
        return Results.Ok(UserResponse.Subscriptions(await User(http, grains, userId).SetSubscriptions(body.Marketing, body.Transactional)));
    }

    private static IUserGrain User(HttpContext http, IGrainFactory grains, string userId) =>
        grains.GetGrain<IUserGrain>(UserKey.Known(AdminAuthFilter.Caller(http).AppId, userId).GrainKey);

    /// <summary>The 400 for a user id of the path that no user can have, or null.</summary>
    public static IResult? InvalidUserId(string userId) =>
        userId.Length is 0 or > 256 || userId.AsSpan().ContainsAnyInRange('\u0000', '\u001f')
            ? Problems.BadRequest("A user id is 1 to 256 characters with no control characters.")
            : null;
}
