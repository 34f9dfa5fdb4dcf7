using System.Text.Json;
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
            .WithSummary("Sends a transactional push: {\"userId\", \"title\", \"body\", \"data\", \"idempotencyKey\"} → 202 {\"notificationId\"}.");
        routes.MapGet("/v1/users/{userId}/messages", UserMessages).WithTags("Messages").AddEndpointFilter<AdminAuthFilter>()
            .WithName("UserMessages")
            .WithSummary("Every recent decision about messages for the user: sent, suppressed and why, failed and why.");
        return routes;
    }

    private static async Task<IResult> SendTransactional(HttpContext http, IGrainFactory grains, CancellationToken ct)
    {
        var (body, error) = await JsonBody.ReadObject(http, MaxBodyBytes, ct);
        if (error is not null) return error;
        var b = body!.Value;
        var errors = new List<string>();
        string? userId = Required(b, "userId", 256, errors);
        string? key = Required(b, "idempotencyKey", 256, errors);
        string title = Optional(b, "title", 500, errors) ?? "";
        string text = Optional(b, "body", 2000, errors) ?? "";
        var data = Data(b, errors);
        if (errors.Count > 0) return Problems.BadRequest("The message is invalid.", errors);

        var message = new CampaignMessage(title, text) { Data = data };
        if (message.Validate() is { } problem) return Problems.BadRequest("The message is invalid.", [problem]);

        var caller = AdminAuthFilter.Caller(http);
        var request = new SendRequest(TransactionalCampaign, key!, MessageCategory.Transactional, MessagePriority.High);
        var result = await grains.GetGrain<IUserGrain>(UserKey.Known(caller.AppId, userId!).GrainKey).Send(request, message, null);
        return Results.Accepted(value: new
        {
            notificationId = result.NotificationId,
            status = Wire(result.Status),
            reason = result.Reason == SuppressionReason.None ? null : Wire(result.Reason),
            detail = result.Detail,
            duplicate = result.Duplicate,
            deferredUntil = result.DeferredUntil,
        });
    }

    private static async Task<IResult> UserMessages(string userId, HttpContext http, IGrainFactory grains)
    {
        if (userId.Length is 0 or > 256) return Problems.BadRequest("A user id is 1 to 256 characters.");
        var grain = grains.GetGrain<IUserGrain>(UserKey.Known(AdminAuthFilter.Caller(http).AppId, userId).GrainKey);
        if (await grain.GetProfile() is null) return Problems.NotFound($"No user '{userId}' in this app.");
        var messages = await grain.GetMessages();
        return Results.Ok(new
        {
            userId,
            messages = messages.Select(m => new
            {
                notificationId = m.NotificationId,
                campaignId = m.CampaignId,
                occurrence = m.Occurrence,
                status = Wire(m.Status),
                reason = m.Reason == SuppressionReason.None ? null : Wire(m.Reason),
                detail = m.Detail,
                at = m.At,
                variant = m.Variant,
                deferredUntil = m.DeferredUntil,
            }),
        });
    }

    private static string Wire(MessageStatus status) => status.ToString().ToLowerInvariant();

    private static string Wire(SuppressionReason reason) => reason.Wire();

    private static string? Required(JsonElement body, string name, int maxLength, List<string> errors)
    {
        var value = Optional(body, name, maxLength, errors);
        if (string.IsNullOrWhiteSpace(value) && !errors.Any(e => e.StartsWith(name))) errors.Add($"{name}: required.");
        return value;
    }

    private static string? Optional(JsonElement body, string name, int maxLength, List<string> errors)
    {
        if (!body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind != JsonValueKind.String)
        {
            errors.Add($"{name}: must be a string.");
            return null;
        }

        string text = value.GetString()!;
        if (text.Length > maxLength) errors.Add($"{name}: at most {maxLength} characters.");
        return text;
    }

    private static Dictionary<string, string>? Data(JsonElement body, List<string> errors)
    {
        if (!body.TryGetProperty("data", out var data) || data.ValueKind == JsonValueKind.Null) return null;
        if (data.ValueKind != JsonValueKind.Object)
        {
            errors.Add("data: must be an object of strings.");
            return null;
        }

        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in data.EnumerateObject())
        {
            if (property.Value.ValueKind != JsonValueKind.String)
            {
                errors.Add($"data.{property.Name}: must be a string (FCM data values are strings).");
                continue;
            }

            map[property.Name] = property.Value.GetString()!;
        }

        return map;
    }
}
