using Orleans.Segments.Contracts;
using Orleans.Segments.Domain.Campaigns;
using Orleans.Segments.Server.Apps;
using Orleans.Segments.Users;

namespace Orleans.Segments.Server.Apis;

/// <summary>
/// Transactional messages (order confirmations, shipping updates) and each user's message log. A
/// transactional message needs the user's transactional consent, is exempt from marketing caps and quiet
/// hours, and is idempotent by the caller's key: the same key returns the same answer and sends once.
/// </summary>
public static class MessagesApi
{
    /// <summary>The campaign id transactional messages are recorded under.</summary>
    public const string TransactionalCampaign = CampaignDefinition.ReservedTransactionalId;

    private const int MaxBodyBytes = 8 * 1024;

    public static IEndpointRouteBuilder MapMessagesApi(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/v1/messages", SendTransactional).WithTags("Messages").AddEndpointFilter<AdminAuthFilter>()
            .WithName("SendTransactional")
            .WithSummary("Sends a transactional push to a user, once per idempotency key; the answer says whether it was sent, and why not.")
            .Body<TransactionalMessageInput>().Answers<MessageAnswer>(StatusCodes.Status202Accepted).Admin();
        routes.MapGet("/v1/users/{userId}/messages", UserMessages).WithTags("Messages").AddEndpointFilter<AdminAuthFilter>()
            .WithName("UserMessages")
            .WithSummary("Every recent decision about messages for the user: sent, suppressed and why, failed and why.")
            .Answers<MessageLog>().Admin().Problems(StatusCodes.Status404NotFound);
        return routes;
    }

    private static async Task<IResult> SendTransactional(HttpContext http, IGrainFactory grains, CancellationToken ct)
    {
        var (input, error) = await ContractBody.ReadAsync(http, ContractsJson.Default.TransactionalMessageInput, MaxBodyBytes, "message", ct);
        if (error is not null) return error;
        var errors = new List<string>();
        string? userId = Required(input!.UserId, "userId", 256, errors);
        string? key = Required(input.IdempotencyKey, "idempotencyKey", 256, errors);
        string title = Optional(input.Title, "title", 500, errors) ?? "";
        string text = Optional(input.Body, "body", 2000, errors) ?? "";
        foreach (var (name, value) in input.Data ?? [])
        {
            if (value is null) errors.Add($"data.{name}: must be a string (FCM data values are strings).");
        }

        if (errors.Count > 0) return Problems.BadRequest("The message is invalid.", errors);

        var message = new CampaignMessage(title, text) { Data = input.Data };
        if (message.Validate() is { } problem) return Problems.BadRequest("The message is invalid.", [problem]);

        var caller = AdminAuthFilter.Caller(http);
        var request = new SendRequest(TransactionalCampaign, key!, MessageCategory.Transactional, MessagePriority.High);
        var result = await grains.GetGrain<IUserGrain>(UserKey.Known(caller.AppId, userId!).GrainKey).Send(request, message, null);
        return Results.Accepted(value: new MessageAnswer(
            result.NotificationId,
            Wire(result.Status),
            result.Reason == SuppressionReason.None ? null : Wire(result.Reason),
            result.Detail,
            result.Duplicate,
            result.DeferredUntil));
    }

    private static async Task<IResult> UserMessages(string userId, HttpContext http, IGrainFactory grains)
    {
        if (UsersApi.InvalidUserId(userId) is { } invalid) return invalid;
        var grain = grains.GetGrain<IUserGrain>(UserKey.Known(AdminAuthFilter.Caller(http).AppId, userId).GrainKey);
        if (await grain.GetProfile() is null) return Problems.NotFound($"No user '{userId}' in this app.");
        var messages = await grain.GetMessages();
        return Results.Ok(new MessageLog(userId, messages.Select(m => new MessageLogEntryView(
            m.NotificationId,
            m.CampaignId,
            m.Occurrence,
            Wire(m.Status),
            m.Reason == SuppressionReason.None ? null : Wire(m.Reason),
            m.Detail,
            m.At,
            m.Variant,
            m.DeferredUntil,
            m.Language,
            m.Test)).ToArray()));
    }

    private static string Wire(MessageStatus status) => status.ToString().ToLowerInvariant();

    private static string Wire(SuppressionReason reason) => reason.Wire();

    private static string? Required(string? value, string name, int maxLength, List<string> errors)
    {
        Optional(value, name, maxLength, errors);
        if (string.IsNullOrWhiteSpace(value)) errors.Add($"{name}: required.");
        return value;
    }

    private static string? Optional(string? value, string name, int maxLength, List<string> errors)
    {
        if (value is not null && value.Length > maxLength) errors.Add($"{name}: at most {maxLength} characters.");
        return value;
    }
}
