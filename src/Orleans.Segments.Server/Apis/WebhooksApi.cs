using Orleans.Segments.Contracts;
using Orleans.Segments.Domain.Webhooks;
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
    private const int MaxDescription = 200;

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

    private static IWebhookRegistryGrain Registry(IGrainFactory grains, HttpContext http) => grains.GetGrain<IWebhookRegistryGrain>(AdminAuthFilter.Caller(http).AppId);

    private static IWebhookQueueGrain Shard(IGrainFactory grains, HttpContext http, string id, int shard) =>
        grains.GetGrain<IWebhookQueueGrain>(WebhookQueueGrain.Key(AdminAuthFilter.Caller(http).AppId, id, shard));

    private static async Task<IResult> Put(string id, HttpContext http, IGrainFactory grains, CancellationToken ct)
    {
        if (SegmentsApi.InvalidId(id) is { } invalid) return invalid;
        var (input, error) = await ContractBody.ReadAsync(http, ContractsJson.Default.WebhookInput, MaxBodyBytes, "webhook", ct);
        if (error is not null) return error;
        var errors = new List<string>();
        if (WebhookUrl.Problem(input!.Url) is { } urlProblem) errors.Add($"url: {urlProblem}");
        var events = (input.Events ?? []).Distinct(StringComparer.Ordinal).ToArray();
        foreach (string type in events)
        {
            if (!WebhookEventTypes.IsKnown(type)) errors.Add($"events: '{ResourceId.Printable(type)}' is not an event type; they are {string.Join(", ", WebhookEventTypes.All)}.");
        }

        if (input.Description is { Length: > MaxDescription }) errors.Add($"description: at most {MaxDescription} characters.");
        if (errors.Count > 0) return Problems.BadRequest("The webhook is invalid.", errors);

        var result = await Registry(grains, http).Put(new WebhookSettings(id, input.Url!, events, input.Enabled ?? true, input.Description));
        if (result is null)
        {
            return Problems.Conflict($"The app already has {WebhookRegistryGrain.MaxWebhooks} webhooks; delete one first.", ["id: the list is full."], "The list is full.");
        }

        var view = View(result.Webhook, showSecret: result.Created, null, 0);
        return result.Created ? Results.Created($"/v1/webhooks/{id}", view) : Results.Ok(view);
    }

    private static async Task<IResult> List(HttpContext http, IGrainFactory grains)
    {
        var hooks = await Registry(grains, http).List();
        var views = await Task.WhenAll(hooks.Select(async h => await WithBacklog(grains, http, h)));
        return Results.Ok(new WebhookList(views));
    }

    private static async Task<IResult> Get(string id, HttpContext http, IGrainFactory grains)
    {
        if (SegmentsApi.InvalidId(id) is { } invalid) return invalid;
        return await Registry(grains, http).Get(id) is { } webhook
            ? Results.Ok(await WithBacklog(grains, http, webhook))
            : NoSuchWebhook(id);
    }

    private static async Task<IResult> Delete(string id, HttpContext http, IGrainFactory grains)
    {
        if (SegmentsApi.InvalidId(id) is { } invalid) return invalid;
        return await Registry(grains, http).Delete(id) ? Results.NoContent() : NoSuchWebhook(id);
    }

    private static async Task<IResult> Rotate(string id, HttpContext http, IGrainFactory grains, CancellationToken ct)
    {
        if (SegmentsApi.InvalidId(id) is { } invalid) return invalid;
        if (await ReadCommandAsync(http, ct) is { } error) return error;
        return await Registry(grains, http).RotateSecret(id) is { } webhook
            ? Results.Ok(View(webhook, showSecret: true, null, 0))
            : NoSuchWebhook(id);
    }

    private static async Task<IResult> Test(string id, HttpContext http, IGrainFactory grains, CancellationToken ct)
    {
        if (SegmentsApi.InvalidId(id) is { } invalid) return invalid;
        if (await ReadCommandAsync(http, ct) is { } error) return error;
        string app = AdminAuthFilter.Caller(http).AppId;
        if (await Registry(grains, http).Get(id) is null) return NoSuchWebhook(id);
        var attempt = await grains.GetGrain<IWebhookTesterGrain>(0).Test(app, id);
        return Results.Ok(new WebhookTestAnswer(attempt.Delivered, attempt.Status, Math.Round(attempt.Elapsed.TotalMilliseconds, 1), attempt.Error));
    }

    private static async Task<IResult> DeadLetters(string id, HttpContext http, IGrainFactory grains)
    {
        if (SegmentsApi.InvalidId(id) is { } invalid) return invalid;
        if (await Registry(grains, http).Get(id) is null) return NoSuchWebhook(id);
        return Results.Ok(await DeadLetterListAsync(grains, http, id));
    }

    private static async Task<IResult> DeadLetter(string id, string deadLetterId, HttpContext http, IGrainFactory grains)
    {
        if (SegmentsApi.InvalidId(id) is { } invalid) return invalid;
        if (await Registry(grains, http).Get(id) is null) return NoSuchWebhook(id);
        if (ShardOf(deadLetterId) is not { } shard) return NoSuchDeadLetter(deadLetterId);
        var events = await Shard(grains, http, id, shard).GetDeadLetterEvents(deadLetterId);
        if (events is null) return NoSuchDeadLetter(deadLetterId);
        return Results.Bytes(WebhookBatchJson.Write(AdminAuthFilter.Caller(http).AppId, id, deadLetterId, events), "application/json");
    }

    private static async Task<IResult> Redeliver(string id, string deadLetterId, HttpContext http, IGrainFactory grains, CancellationToken ct)
    {
        if (SegmentsApi.InvalidId(id) is { } invalid) return invalid;
        if (await ReadCommandAsync(http, ct) is { } error) return error;
        if (await Registry(grains, http).Get(id) is null) return NoSuchWebhook(id);
        if (ShardOf(deadLetterId) is not { } shard || !await Shard(grains, http, id, shard).Redeliver(deadLetterId)) return NoSuchDeadLetter(deadLetterId);
        return Results.Ok(await DeadLetterListAsync(grains, http, id));
    }

    /// <summary>A command's body: none, or <c>{}</c>; anything else is refused, and so is a body over 1 KB.</summary>
    private static async Task<IResult?> ReadCommandAsync(HttpContext http, CancellationToken ct) =>
        (await ContractBody.ReadOptionalAsync(http, ContractsJson.Default.WebhookCommandInput, 1024, "command", new WebhookCommandInput(), ct)).Error;

    /// <summary>The shard a dead letter id (<c>shard-page</c>) names, or null if it names none.</summary>
    private static int? ShardOf(string deadLetterId)
    {
        int dash = deadLetterId.IndexOf('-');
        return dash > 0 && deadLetterId.Length <= 40 && int.TryParse(deadLetterId.AsSpan(0, dash), System.Globalization.NumberStyles.None, null, out int shard)
            && shard < WebhookQueueGrain.Shards && long.TryParse(deadLetterId.AsSpan(dash + 1), System.Globalization.NumberStyles.None, null, out _)
            ? shard : null;
    }

    private static async Task<DeadLetterList> DeadLetterListAsync(IGrainFactory grains, HttpContext http, string id)
    {
        var shards = await Task.WhenAll(Enumerable.Range(0, WebhookQueueGrain.Shards).Select(s => Shard(grains, http, id, s).GetDeadLetters()));
        return new DeadLetterList([.. shards.SelectMany(d => d).OrderBy(d => d.DeadAt)
            .Select(d => new DeadLetterView(d.Id, d.Events, d.FirstEventAt, d.LastEventAt, d.FailingSince, d.DeadAt, d.Attempts, d.LastError))]);
    }

    private static async Task<WebhookView> WithBacklog(IGrainFactory grains, HttpContext http, WebhookDefinition webhook)
    {
        var shards = await Task.WhenAll(Enumerable.Range(0, WebhookQueueGrain.Shards).Select(s => Shard(grains, http, webhook.Id, s).GetStatus()));
        var letters = await Task.WhenAll(Enumerable.Range(0, WebhookQueueGrain.Shards).Select(s => Shard(grains, http, webhook.Id, s).GetDeadLetters()));
        return View(webhook, showSecret: false, shards, letters.Sum(l => l.Length));
    }

    public static WebhookBacklogView Backlog(IReadOnlyCollection<WebhookQueueStatus> shards, int deadLetters)
    {
        var worst = shards.MaxBy(s => s.FailuresInARow);
        return new WebhookBacklogView(
            shards.Sum(s => s.Pending),
            shards.Min(s => s.OldestPendingAt),
            shards.Sum(s => s.Delivered),
            shards.Sum(s => s.Attempts),
            shards.Sum(s => s.FailedAttempts),
            worst?.FailuresInARow ?? 0,
            shards.Min(s => s.FailingSince),
            shards.Min(s => s.NextAttemptAt),
            worst is { FailuresInARow: > 0 } ? worst.LastError : shards.Select(s => s.LastError).FirstOrDefault(e => e is not null),
            shards.Max(s => s.LastDeliveredAt),
            shards.Sum(s => s.DeadLettered),
            deadLetters,
            shards.Sum(s => s.Dropped));
    }

    private static WebhookView View(WebhookDefinition webhook, bool showSecret, IReadOnlyCollection<WebhookQueueStatus>? shards, int deadLetters)
    {
        var s = webhook.Settings;
        return new WebhookView(s.Id, s.Url, s.Events, s.Enabled, s.Description, showSecret ? webhook.Secret : null,
            $"{webhook.Secret[..6]}…{webhook.Secret[^4..]}", webhook.CreatedAt, webhook.UpdatedAt,
            shards is null ? null : Backlog(shards, deadLetters));
    }

    private static IResult NoSuchWebhook(string id) => Problems.NotFound($"No webhook '{id}' in this app.");

    private static IResult NoSuchDeadLetter(string id) => Problems.NotFound($"No dead letter '{ResourceId.Printable(id)}' for this webhook.");
}
