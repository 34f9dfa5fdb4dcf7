using Orleans.Segments.Campaigns;
using Orleans.Segments.Contracts;
using Orleans.Segments.Domain.Campaigns;
using Orleans.Segments.Journeys;
using Orleans.Segments.Server.Apps;
using Orleans.Segments.Users;

namespace Orleans.Segments.Server.Apis;

/// <summary>
/// Test sends: a campaign's message, or a journey message step's, rendered for a named user (or each of the app's
/// test users) and pushed to their devices now, outside caps, quiet hours and consent, counted in no statistics,
/// and logged as a test in the user's message log. And the app's list of test users.
/// </summary>
public static class TestSendsApi
{
    private const int MaxBodyBytes = 16 * 1024;

    public static IEndpointRouteBuilder MapTestSendsApi(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/v1/campaigns/{id}/test", TestCampaign).WithTags("Campaigns").AddEndpointFilter<AdminAuthFilter>()
            .WithName("TestCampaign")
            .WithSummary("Pushes the campaign's message (or a variant's) to a user, or to every test user, now: no caps, quiet hours or statistics; logged as a test.")
            .Body<TestSendInput>(optional: true).Answers<TestSendAnswer>().Admin().Problems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        routes.MapPost("/v1/journeys/{id}/steps/{stepId}/test", TestJourneyStep).WithTags("Journeys").AddEndpointFilter<AdminAuthFilter>()
            .WithName("TestJourneyStep")
            .WithSummary("Pushes a journey message step's message to a user, or to every test user, now, with stand-in entering properties; logged as a test.")
            .Body<TestSendInput>(optional: true).Answers<TestSendAnswer>().Admin().Problems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        routes.MapGet("/v1/test-users", ListTestUsers).WithTags("Campaigns").AddEndpointFilter<AdminAuthFilter>()
            .WithName("ListTestUsers").WithSummary("The app's test users, who get test sends when no user is named.")
            .Answers<TestUserList>().AdminList();
        routes.MapPut("/v1/test-users/{userId}", PutTestUser).WithTags("Campaigns").AddEndpointFilter<AdminAuthFilter>()
            .WithName("PutTestUser").WithSummary("Makes a known user a test user (at most 50 per app).")
            .Body<TestUserInput>(optional: true).Answers<TestUserList>().Admin().Problems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        routes.MapDelete("/v1/test-users/{userId}", DeleteTestUser).WithTags("Campaigns").AddEndpointFilter<AdminAuthFilter>()
            .WithName("DeleteTestUser").WithSummary("Removes a test user.")
            .Answers<TestUserList>().Admin().Problems(StatusCodes.Status404NotFound);
        return routes;
    }

    private static ITestUsersGrain TestUsers(IGrainFactory grains, HttpContext http) => grains.GetGrain<ITestUsersGrain>(AdminAuthFilter.Caller(http).AppId);

    private static async Task<IResult> TestCampaign(string id, HttpContext http, IGrainFactory grains, CancellationToken ct)
    {
        if (SegmentsApi.InvalidId(id) is { } invalid) return invalid;
        var (input, error) = await ReadAsync(http, ct);
        if (error is not null) return error;
        string app = AdminAuthFilter.Caller(http).AppId;
        var campaign = await grains.GetGrain<ICampaignGrain>(CampaignGrain.Key(app, id)).Get();
        if (campaign is null) return Problems.NotFound($"No campaign '{id}' in this app.");
        var definition = campaign.Definition;
        if (input.Variant is { } variant && !Array.Exists(definition.Variants, v => v.Name == variant))
        {
            return Problems.BadRequest("No such variant.", [$"variant: the campaign has {(definition.Variants.Length == 0 ? "no variants" : "the variants " + string.Join(", ", definition.Variants.Select(v => v.Name)))}."]);
        }

        return await SendAsync(http, grains, id, definition.MessageFor(input.Variant), definition.Category, input, null);
    }

    private static async Task<IResult> TestJourneyStep(string id, string stepId, HttpContext http, IGrainFactory grains, CancellationToken ct)
    {
        if (SegmentsApi.InvalidId(id) is { } invalid) return invalid;
        var (input, error) = await ReadAsync(http, ct);
        if (error is not null) return error;
        string app = AdminAuthFilter.Caller(http).AppId;
        var journey = await grains.GetGrain<IJourneyGrain>(JourneyGrain.Key(app, id)).Get();
        if (journey is null) return Problems.NotFound($"No journey '{id}' in this app.");
        var step = journey.Definition.Step(stepId);
        if (step?.Message is null) return Problems.NotFound($"The journey '{id}' has no message step '{ResourceId.Printable(stepId)}'.");
        if (input.Variant is { } variant && !Array.Exists(step.Variants, v => v.Name == variant))
        {
            return Problems.BadRequest("No such variant.", [$"variant: the step has {(step.Variants.Length == 0 ? "no variants" : "the variants " + string.Join(", ", step.Variants.Select(v => v.Name)))}."]);
        }

        if (input.Properties is { Count: > 50 } || input.Properties?.Any(p => p.Key.Length > 64 || p.Value is null || p.Value.Length > 1000) == true)
        {
            return Problems.BadRequest("The properties are invalid.", ["properties: at most 50, with names of at most 64 characters and string values of at most 1,000."]);
        }

        return await SendAsync(http, grains, Domain.Journeys.JourneyStatsKeys.StatsId(id), step.MessageFor(input.Variant)!, journey.Definition.Category, input, input.Properties);
    }

    private static Task<(TestSendInput Body, IResult? Error)> ReadAsync(HttpContext http, CancellationToken ct) =>
        ContractBody.ReadOptionalAsync(http, ContractsJson.Default.TestSendInput, MaxBodyBytes, "test send", new TestSendInput(), ct);

    private static async Task<IResult> SendAsync(HttpContext http, IGrainFactory grains, string logId, CampaignMessage message, MessageCategory category, TestSendInput input,
        IReadOnlyDictionary<string, string>? journey)
    {
        string app = AdminAuthFilter.Caller(http).AppId;
        string[] recipients;
        if (input.UserId is { } named)
        {
            if (UsersApi.InvalidUserId(named) is { } invalidUser) return invalidUser;
            recipients = [named];
        }
        else
        {
            recipients = (await TestUsers(grains, http).List()).Select(u => u.UserId).ToArray();
            if (recipients.Length == 0) return Problems.Conflict("The app has no test users: name a userId, or add test users with PUT /v1/test-users/{userId}.", ["userId: required while the app has no test users."], "No test users.");
        }

        var results = new List<TestSendResult>();
        foreach (string userId in recipients)
        {
            var user = grains.GetGrain<IUserGrain>(UserKey.Known(app, userId).GrainKey);
            if (input.UserId is not null && await user.GetProfile() is null) return Problems.NotFound($"No user '{userId}' in this app.");
            var result = await user.SendTest(logId, message, category, journey);
            results.Add(new TestSendResult(userId, result.NotificationId, result.Status.ToString().ToLowerInvariant(),
                result.Reason == SuppressionReason.None ? null : result.Reason.Wire(), result.Detail, result.Language));
        }

        return Results.Ok(new TestSendAnswer([.. results]));
    }

    private static async Task<IResult> ListTestUsers(HttpContext http, IGrainFactory grains) => Results.Ok(await ListAsync(grains, http));

    private static async Task<IResult> PutTestUser(string userId, HttpContext http, IGrainFactory grains, CancellationToken ct)
    {
        if (UsersApi.InvalidUserId(userId) is { } invalid) return invalid;
        var (input, error) = await ContractBody.ReadOptionalAsync(http, ContractsJson.Default.TestUserInput, 4 * 1024, "test user", new TestUserInput(), ct);
        if (error is not null) return error;

        if (input.Name is { Length: > 100 }) return Problems.BadRequest("The name is too long.", ["name: at most 100 characters."]);
        var user = grains.GetGrain<IUserGrain>(UserKey.Known(AdminAuthFilter.Caller(http).AppId, userId).GrainKey);
        if (await user.GetProfile() is null) return Problems.NotFound($"No user '{userId}' in this app.");
        if (!await TestUsers(grains, http).Put(userId, input.Name))
        {
            return Problems.Conflict($"The app already has {TestUsersGrain.MaxTestUsers} test users; remove one first.", ["userId: the list is full."], "The list is full.");
        }

        return Results.Ok(await ListAsync(grains, http));
    }

    private static async Task<IResult> DeleteTestUser(string userId, HttpContext http, IGrainFactory grains)
    {
        if (UsersApi.InvalidUserId(userId) is { } invalid) return invalid;
        return await TestUsers(grains, http).Remove(userId)
            ? Results.Ok(await ListAsync(grains, http))
            : Problems.NotFound($"'{userId}' is not a test user of this app.");
    }

    private static async Task<TestUserList> ListAsync(IGrainFactory grains, HttpContext http) =>
        new([.. (await TestUsers(grains, http).List()).Select(u => new TestUserView(u.UserId, u.Name, u.AddedAt))]);
}
