using Orleans.Segments.Contracts;
using Orleans.Segments.Domain.Webhooks;
using Orleans.Segments.Server.Application;
using Orleans.Segments.Server.Apps;
using Orleans.Segments.Webhooks;

namespace Orleans.Segments.Server.Apis;

/// <summary>
/// The app's webhooks: where its events (message outcomes and engagement, segment and geofence entries and exits,
/// lifecycle changes, journey steps) are streamed as signed JSON batches; their backlog, dead letters and a test.
/// The format, the signature and the delivery rules are in <c>docs/webhooks.md</c>.
/// </summary>
public static class WebhooksApi
{
    private const int MaxBodyBytes = 16 * 1024;

    public static IEndpointRouteBuilder MapWebhooksApi(this IEndpointRouteBuilder routes)
    {
        routes.MapPut("/v1/webhooks/{id}", Put).WithTags("Webhooks").AddEndpointFilter<AdminAuthFilter>()
            .WithName("PutWebhook")
            .WithSummary("Creates (201, with its signing secret) or replaces (200) a webhook; at most 5 per app.")
            .Body<WebhookInput>().Answers<WebhookView>().Answers<WebhookView>(StatusCodes.Status201Created).Admin().Problems(StatusCodes.Status409Conflict);
        routes.MapGet("/v1/webhooks", List).WithTags("Webhooks").AddEndpointFilter<AdminAuthFilter>()
            .WithName("ListWebhooks").WithSummary("The app's webhooks, each with its backlog.")
            .Answers<WebhookList>().AdminList();
        routes.MapGet("/v1/webhooks/{id}", Get).WithTags("Webhooks").AddEndpointFilter<AdminAuthFilter>()
            .WithName("GetWebhook").WithSummary("A webhook and its backlog: events waiting, delivered, failures, the next attempt, dead letters.")
            .Answers<WebhookView>().Admin().Problems(StatusCodes.Status404NotFound);
        routes.MapDelete("/v1/webhooks/{id}", Delete).WithTags("Webhooks").AddEndpointFilter<AdminAuthFilter>()
            .WithName("DeleteWebhook").WithSummary("Removes a webhook; its backlog and dead letters are dropped.")
            .Produces(StatusCodes.Status204NoContent).Admin().Problems(StatusCodes.Status404NotFound);
        routes.MapPost("/v1/webhooks/{id}/rotate-secret", Rotate).WithTags("Webhooks").AddEndpointFilter<AdminAuthFilter>()
            .WithName("RotateWebhookSecret").WithSummary("Gives the webhook a new signing secret, shown once; batches sent from now on are signed with it.")
            .Body<WebhookCommandInput>(optional: true).Answers<WebhookView>().Admin().Problems(StatusCodes.Status404NotFound);
        routes.MapPost("/v1/webhooks/{id}/test", Test).WithTags("Webhooks").AddEndpointFilter<AdminAuthFilter>()
            .WithName("TestWebhook").WithSummary("Posts a signed sample batch (one webhook.test event) now and says what the receiver answered.")
            .Body<WebhookCommandInput>(optional: true).Answers<WebhookTestAnswer>().Admin().Problems(StatusCodes.Status404NotFound);
        routes.MapGet("/v1/webhooks/{id}/dead-letters", DeadLetters).WithTags("Webhooks").AddEndpointFilter<AdminAuthFilter>()
            .WithName("ListWebhookDeadLetters").WithSummary("Batches given up after failing for the retry period (24 hours by default), newest last.")
            .Answers<DeadLetterList>().Admin().Problems(StatusCodes.Status404NotFound);
        routes.MapGet("/v1/webhooks/{id}/dead-letters/{deadLetterId}", DeadLetter).WithTags("Webhooks").AddEndpointFilter<AdminAuthFilter>()
            .WithName("GetWebhookDeadLetter").WithSummary("A dead letter's events, in the body the receiver would have got.")
            .Produces(StatusCodes.Status200OK, contentType: "application/json").Admin().Problems(StatusCodes.Status404NotFound);
        routes.MapPost("/v1/webhooks/{id}/dead-letters/{deadLetterId}/redeliver", Redeliver).WithTags("Webhooks").AddEndpointFilter<AdminAuthFilter>()
            .WithName("RedeliverWebhookDeadLetter").WithSummary("Puts a dead letter's events back at the end of the queue (after the events queued since).")
            .Body<WebhookCommandInput>(optional: true).Answers<DeadLetterList>().Admin().Problems(StatusCodes.Status404NotFound);
        return routes;
    }

    private static string App(HttpContext http) => AdminAuthFilter.Caller(http).AppId;

    private static async Task<IResult> Put(string id, HttpContext http, WebhookService webhooks, CancellationToken ct)
    {
        if (SegmentsApi.InvalidId(id) is { } invalid) return invalid;
        var (input, error) = await ContractBody.ReadAsync(http, ContractsJson.Default.WebhookInput, MaxBodyBytes, "webhook", ct);
        if (error is not null) return error;
        var saved = await webhooks.PutAsync(App(http), id, input!.Url, input.Events, input.Enabled ?? true, input.Description);
        if (saved.Errors.Count > 0) return Problems.BadRequest("The webhook is invalid.", saved.Errors);
        if (saved.Full || saved.Result is not { } result)
        {
            return Problems.Conflict($"The app already has {WebhookRegistryGrain.MaxWebhooks} webhooks; delete one first.", ["id: the list is full."], "The list is full.");
        }

        var view = View(result.Webhook, showSecret: result.Created, null);
        return result.Created ? Results.Created($"/v1/webhooks/{id}", view) : Results.Ok(view);
    }

    private static async Task<IResult> List(HttpContext http, WebhookService webhooks) =>
        Results.Ok(new WebhookList([.. (await webhooks.ListAsync(App(http))).Select(w => View(w.Webhook, showSecret: false, w.Backlog))]));

    private static async Task<IResult> Get(string id, HttpContext http, WebhookService webhooks)
    {
        if (SegmentsApi.InvalidId(id) is { } invalid) return invalid;
        return await webhooks.GetWithBacklogAsync(App(http), id) is { } state ? Results.Ok(View(state.Webhook, showSecret: false, state.Backlog)) : NoSuchWebhook(id);
    }

    private static async Task<IResult> Delete(string id, HttpContext http, WebhookService webhooks)
    {
        if (SegmentsApi.InvalidId(id) is { } invalid) return invalid;
        return await webhooks.DeleteAsync(App(http), id) ? Results.NoContent() : NoSuchWebhook(id);
    }

    private static async Task<IResult> Rotate(string id, HttpContext http, WebhookService webhooks, CancellationToken ct)
    {
        if (SegmentsApi.InvalidId(id) is { } invalid) return invalid;
        if (await ReadCommandAsync(http, ct) is { } error) return error;
        return await webhooks.RotateSecretAsync(App(http), id) is { } webhook ? Results.Ok(View(webhook, showSecret: true, null)) : NoSuchWebhook(id);
    }

    private static async Task<IResult> Test(string id, HttpContext http, WebhookService webhooks, CancellationToken ct)
    {
        if (SegmentsApi.InvalidId(id) is { } invalid) return invalid;
        if (await ReadCommandAsync(http, ct) is { } error) return error;
        if (await webhooks.TestAsync(App(http), id) is not { } attempt) return NoSuchWebhook(id);
        return Results.Ok(new WebhookTestAnswer(attempt.Delivered, attempt.Status, Math.Round(attempt.Elapsed.TotalMilliseconds, 1), attempt.Error));
    }

    private static async Task<IResult> DeadLetters(string id, HttpContext http, WebhookService webhooks)
    {
        if (SegmentsApi.InvalidId(id) is { } invalid) return invalid;
        if (await webhooks.GetAsync(App(http), id) is null) return NoSuchWebhook(id);
        return Results.Ok(await DeadLetterListAsync(webhooks, http, id));
    }

    private static async Task<IResult> DeadLetter(string id, string deadLetterId, HttpContext http, WebhookService webhooks)
    {
        if (SegmentsApi.InvalidId(id) is { } invalid) return invalid;
        if (await webhooks.GetAsync(App(http), id) is null) return NoSuchWebhook(id);
        var events = await webhooks.DeadLetterEventsAsync(App(http), id, deadLetterId);
        return events is null ? NoSuchDeadLetter(deadLetterId) : Results.Bytes(WebhookBatchJson.Write(App(http), id, deadLetterId, events), "application/json");
    }

    private static async Task<IResult> Redeliver(string id, string deadLetterId, HttpContext http, WebhookService webhooks, CancellationToken ct)
    {
        if (SegmentsApi.InvalidId(id) is { } invalid) return invalid;
        if (await ReadCommandAsync(http, ct) is { } error) return error;
        if (await webhooks.GetAsync(App(http), id) is null) return NoSuchWebhook(id);
        if (!await webhooks.RedeliverAsync(App(http), id, deadLetterId)) return NoSuchDeadLetter(deadLetterId);
        return Results.Ok(await DeadLetterListAsync(webhooks, http, id));
    }

    /// <summary>A command's body: none, or <c>{}</c>; anything else is refused, and so is a body over 1 KB.</summary>
    private static async Task<IResult?> ReadCommandAsync(HttpContext http, CancellationToken ct) =>
        (await ContractBody.ReadOptionalAsync(http, ContractsJson.Default.WebhookCommandInput, 1024, "command", new WebhookCommandInput(), ct)).Error;

    private static async Task<DeadLetterList> DeadLetterListAsync(WebhookService webhooks, HttpContext http, string id) =>
        new([.. (await webhooks.DeadLettersAsync(App(http), id))
            .Select(d => new DeadLetterView(d.Id, d.Events, d.FirstEventAt, d.LastEventAt, d.FailingSince, d.DeadAt, d.Attempts, d.LastError))]);

    private static WebhookView View(WebhookDefinition webhook, bool showSecret, WebhookBacklogView? backlog)
    {
        var s = webhook.Settings;
        return new WebhookView(s.Id, s.Url, s.Events, s.Enabled, s.Description, showSecret ? webhook.Secret : null,
            SecretHint(webhook.Secret), webhook.CreatedAt, webhook.UpdatedAt, backlog);
    }

    /// <summary>Enough of a secret to tell two apart, not to use one.</summary>
    public static string SecretHint(string secret) => $"{secret[..6]}…{secret[^4..]}";

    private static IResult NoSuchWebhook(string id) => Problems.NotFound($"No webhook '{id}' in this app.");

    private static IResult NoSuchDeadLetter(string id) => Problems.NotFound($"No dead letter '{ResourceId.Printable(id)}' for this webhook.");
}
