using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Orleans.Segments.Server.Tests.Infrastructure;
using Orleans.Segments.Users;
using Orleans.Segments.Webhooks;

namespace Orleans.Segments.Server.Tests;

/// <summary>
/// Webhooks over real HTTP: a receiver on a loopback port that fails, is slow and recovers; signatures checked by
/// Node's crypto (tests/webhook-verifier), not by the server's code; dead letters after a day of failures.
/// </summary>
[Collection(WebhookCollection.Name)]
public sealed class WebhooksApiTests(WebhookServerFixture server)
{
    /// <summary>How many clock steps (each running every queue shard once) a test takes at most to see its deliveries.</summary>
    private const int MaxSteps = 200;

    private static string NewId(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}";

    private async Task<JsonNode?> Admin(HttpMethod method, string path, string? json, HttpStatusCode expected, TestApp? app = null)
    {
        using var response = await server.AdminAsync(method, path, json, app);
        string body = await response.ShouldHaveStatusAsync(expected);
        return body.Length == 0 ? null : JsonNode.Parse(body);
    }

    private async Task<(string Id, string Secret)> Webhook(WebhookReceiver receiver, string events = "", TestApp? app = null)
    {
        string id = NewId("hook");
        var created = (await Admin(HttpMethod.Put, $"/v1/webhooks/{id}", $$$"""{"url": "{{{receiver.Url}}}"{{{events}}}}""", HttpStatusCode.Created, app))!;
        return (id, (string)created["secret"]!);
    }

    /// <summary>
    /// Moves the server's clock on in steps (retries and the linger are due on it) and runs each of the webhook's
    /// queue shards once per step, as their timers would, until <paramref name="done"/> holds; bounded in steps.
    /// </summary>
    private Task AdvanceUntilAsync(string hook, Func<bool> done, TimeSpan step, string what, TestApp? app = null) =>
        AdvanceUntilAsync(hook, () => Task.FromResult(done()), step, what, app);

    private async Task AdvanceUntilAsync(string hook, Func<Task<bool>> done, TimeSpan step, string what, TestApp? app = null)
    {
        var shards = Enumerable.Range(0, WebhookQueueGrain.Shards)
            .Select(s => server.Grains.GetGrain<IWebhookQueueGrain>(WebhookQueueGrain.Key((app ?? TestApps.Shop).Id, hook, s))).ToList();
        for (int steps = 0; !await done(); steps++)
        {
            Assert.True(steps < MaxSteps, $"Not done after {MaxSteps} steps of {step}: {what}.");
            server.Time.Advance(step);
            await Task.WhenAll(shards.Select(s => s.Deliver()));
        }
    }

    /// <summary>The user's push of <paramref name="campaign"/>, once their due sends are decided (the push follows the event in a turn of its own).</summary>
    private async Task<JsonNode> Delivered(string userId, string campaign, TestApp? app = null)
    {
        await server.Grains.GetGrain<IUserGrain>(UserKey.Known((app ?? TestApps.Shop).Id, userId).GrainKey).DeliverPending();
        var log = (await Admin(HttpMethod.Get, $"{SegmentsApi.UserPath(userId)}/messages", null, HttpStatusCode.OK, app))!;
        var sent = log["messages"]!.AsArray().FirstOrDefault(m => (string?)m!["campaignId"] == campaign && (string?)m["status"] == "delivered");
        Assert.True(sent is not null, $"The campaign did not push to {userId}: {log.ToJsonString()}");
        return sent!;
    }

    /// <summary>Events the receiver took (answered 2xx), in the order it got them, with their webhook's batches.</summary>
    private static List<JsonNode> Received(WebhookReceiver receiver, string webhookId) =>
        [.. receiver.Requests.Where(r => r.Answer.Status == 200 && r.WebhookId == webhookId).SelectMany(r => r.Events).Select(e => e!)];

    private static async Task<bool[]> VerifyWithNode(string secret, IEnumerable<(string? Signature, byte[] Body)> requests)
    {
        string folder = Path.Combine(RepositoryRoot.Find(), "tests", "webhook-verifier");
        string file = Path.Combine(Path.GetTempPath(), $"webhook-requests-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, JsonSerializer.Serialize(requests.Select(r => new { signature = r.Signature, body = Convert.ToBase64String(r.Body) })));
        try
        {
            var run = await ExternalProcess.RunAsync("node", ["verify.mjs", secret, file], folder, TimeSpan.FromSeconds(60));
            Assert.True(run.ExitCode == 0, $"node verify.mjs exited with {run.ExitCode}:\n{run.Output}");
            return JsonSerializer.Deserialize<bool[]>(run.Output.Trim().Split('\n')[^1])!;
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task AReceiverThatFailsIsSlowAndRecoversGetsEveryEventOnceAfterDeduplicationInOrderPerUserSignedAsNodeChecks()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        string cohort = NewId("gold");
        string campaign = NewId("thanks");
        await Admin(HttpMethod.Put, $"/v1/segments/{cohort}", $$$"""{"rule": "trait(\"tier\") = \"{{{cohort}}}\""}""", HttpStatusCode.Created);
        await Admin(HttpMethod.Put, $"/v1/campaigns/{campaign}", """
            {"trigger": {"type": "event", "event": "Order Completed"}, "message": {"title": "Thanks", "body": "See you soon"}}
            """, HttpStatusCode.Created);
        await Admin(HttpMethod.Post, $"/v1/campaigns/{campaign}/launch", null, HttpStatusCode.OK);
        var (hook, secret) = await Webhook(receiver, """, "events": ["segment.entered", "segment.exited", "message.sent", "message.opened"]""");

        // Three failures, one answer that comes after the server gave up (it arrives, and is sent again), then 200s.
        receiver.Then(ReceiverAnswer.Fail(), ReceiverAnswer.Fail(503), ReceiverAnswer.Fail(), ReceiverAnswer.Slow(TimeSpan.FromSeconds(2)));
        var users = Enumerable.Range(0, 12).Select(_ => TestApps.NewUserId()).ToList();
        await Parallel.ForEachAsync(users, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (user, _) =>
        {
            await server.IngestAcceptedAsync("/v1/identify", $$$"""{"userId": "{{{user}}}", "traits": {"tier": "{{{cohort}}}"}}""");
            await Admin(HttpMethod.Put, $"{SegmentsApi.UserPath(user)}/devices/{Tokens.Apns()}", """{"platform": "ios"}""", HttpStatusCode.OK);
            await Admin(HttpMethod.Put, $"{SegmentsApi.UserPath(user)}/subscriptions", """{"marketing": true}""", HttpStatusCode.OK);
            await server.IngestAcceptedAsync("/v1/track", $$$"""{"userId": "{{{user}}}", "event": "Order Completed"}""");
            var sent = await Delivered(user, campaign);
            await server.IngestAcceptedAsync("/v1/track", $$$"""{"userId": "{{{user}}}", "event": "Push Notification Tapped", "properties": {"notification_id": "{{{(string?)sent["notificationId"]}}}"}}""");
            await server.IngestAcceptedAsync("/v1/identify", $$$"""{"userId": "{{{user}}}", "traits": {"tier": "none"}}""");
        });

        string[] expected = ["segment.entered", "message.sent", "message.opened", "segment.exited"];
        await AdvanceUntilAsync(hook, () => Received(receiver, hook).Select(e => (string?)e["id"]).Distinct().Count() >= users.Count * expected.Length,
            TimeSpan.FromSeconds(20), "every event to arrive");

        // Why: the slow answer is given 2 s (real time) after its request arrived; the receiver says when.
        await receiver.WaitForAsync(r => r.Any(x => x.Answer.Delay > TimeSpan.Zero), TimeSpan.FromSeconds(30), "the slow answer");
        var backlog = (await Admin(HttpMethod.Get, $"/v1/webhooks/{hook}", null, HttpStatusCode.OK))!["backlog"]!;

        var received = Received(receiver, hook);
        var unique = received.DistinctBy(e => (string?)e["id"]).ToList();
        Assert.True(received.Count > unique.Count, "The slow answer's batch should have arrived twice (once too late, once again).");
        Assert.Equal(users.Count * expected.Length, unique.Count);
        foreach (string user in users)
        {
            var mine = unique.Where(e => (string?)e["userId"] == user).ToList();
            Assert.Equal(expected, mine.Select(e => (string?)e["type"]));
            Assert.Equal(cohort, (string?)mine[0]["segmentId"]);
            Assert.Equal(campaign, (string?)mine[1]["campaignId"]);
            Assert.Equal((string?)mine[1]["notificationId"], (string?)mine[2]["notificationId"]);
            Assert.Equal(cohort, (string?)mine[3]["segmentId"]);
        }

        Assert.Equal(0, (long)backlog["pending"]!);
        Assert.Equal(unique.Count, (long)backlog["delivered"]!);
        Assert.True((long)backlog["failedAttempts"]! >= 4, backlog.ToJsonString());

        // Every request, failed or not, carries a signature Node's crypto accepts; a body changed by one byte does not.
        var requests = receiver.Requests.Where(r => r.WebhookId == hook).ToList();
        var tampered = requests[0].Body.ToArray();
        tampered[^2] ^= 1;
        var verdicts = await VerifyWithNode(secret, requests.Select(r => (r.Signature, r.Body)).Append((requests[0].Signature, tampered)));
        Assert.All(verdicts[..^1], Assert.True);
        Assert.False(verdicts[^1]);
        Assert.False(await VerifyWithNode("whsec_not-the-secret", [(requests[0].Signature, requests[0].Body)]) is [true]);
    }

    [Fact]
    public async Task ABatchFailingForADayIsDeadLetteredShownAndRedeliveredWhileLaterEventsGoOn()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Otherwise = ReceiverAnswer.Fail(500);
        // Why: an app no other test of this class sends events to, so the day of failures concerns this user's events only.
        var app = TestApps.Web;
        var (hook, _) = await Webhook(receiver, """, "events": ["lifecycle.changed"]""", app);
        string user = TestApps.NewUserId();
        using (var identify = await server.IngestAsync("/v1/identify", $$$"""{"userId": "{{{user}}}", "traits": {"name": "<b>Ada</b>"}}""", app))
        {
            await identify.ShouldBeAcceptedAsync();
        }

        // The receiver answers 500 for a day and more: the batch is retried with backoff, then given up.
        await AdvanceUntilAsync(hook, () => receiver.Requests.Count(r => r.WebhookId == hook) >= 3, TimeSpan.FromSeconds(30), "a few attempts", app);
        var failing = (await Admin(HttpMethod.Get, $"/v1/webhooks/{hook}", null, HttpStatusCode.OK, app))!["backlog"]!;
        server.Time.Advance(TimeSpan.FromHours(25));
        JsonNode? letters = null;
        await AdvanceUntilAsync(hook, async () => (letters = await Admin(HttpMethod.Get, $"/v1/webhooks/{hook}/dead-letters", null, HttpStatusCode.OK, app))!["deadLetters"]!.AsArray().Count > 0,
            TimeSpan.FromSeconds(1), "the batch to be dead-lettered", app);
        var letter = letters!["deadLetters"]![0]!;
        var after = (await Admin(HttpMethod.Get, $"/v1/webhooks/{hook}", null, HttpStatusCode.OK, app))!["backlog"]!;

        Assert.True((long)failing["pending"]! >= 1, failing.ToJsonString());
        Assert.True((long)failing["failuresInARow"]! >= 2, failing.ToJsonString());
        Assert.Equal("the receiver answered 500 Internal Server Error", (string?)failing["lastError"]);
        Assert.NotNull((string?)failing["nextAttemptAt"]);
        Assert.Equal(0, (long)after["pending"]!);
        Assert.Equal(1, (long)after["deadLetters"]!);
        Assert.Equal((long)letter["events"]!, (long)after["deadLettered"]!);
        Assert.Equal("the receiver answered 500 Internal Server Error", (string?)letter["lastError"]);

        // Its events can be read, in the body the receiver would have got; and redelivered once the receiver is back.
        using (var body = await server.AdminAsync(HttpMethod.Get, $"/v1/webhooks/{hook}/dead-letters/{(string?)letter["id"]}", null, app))
        {
            var events = JsonNode.Parse(await body.ShouldHaveStatusAsync(HttpStatusCode.OK))!["events"]!.AsArray();
            Assert.Contains(events, e => (string?)e!["userId"] == user && (string?)e["type"] == "lifecycle.changed" && (string?)e["to"] == "new");
        }

        receiver.Otherwise = ReceiverAnswer.Ok;
        var remaining = (await Admin(HttpMethod.Post, $"/v1/webhooks/{hook}/dead-letters/{(string?)letter["id"]}/redeliver", null, HttpStatusCode.OK, app))!;
        await AdvanceUntilAsync(hook, () => Received(receiver, hook).Any(e => (string?)e["userId"] == user), TimeSpan.FromSeconds(1), "the redelivered events", app);
        Assert.Empty(remaining["deadLetters"]!.AsArray());
        await Admin(HttpMethod.Post, $"/v1/webhooks/{hook}/dead-letters/{(string?)letter["id"]}/redeliver", null, HttpStatusCode.NotFound, app);
        await Admin(HttpMethod.Get, $"/v1/webhooks/{hook}/dead-letters/9-999", null, HttpStatusCode.NotFound, app);
        await Admin(HttpMethod.Get, $"/v1/webhooks/{hook}/dead-letters/%3Cscript%3E", null, HttpStatusCode.NotFound, app);
    }

    [Fact]
    public async Task TheTestEndpointPostsASignedSampleAndSaysWhatTheReceiverAnswered()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (hook, secret) = await Webhook(receiver);
        var ok = (await Admin(HttpMethod.Post, $"/v1/webhooks/{hook}/test", null, HttpStatusCode.OK))!;
        receiver.Then(ReceiverAnswer.Fail(502));
        var refused = (await Admin(HttpMethod.Post, $"/v1/webhooks/{hook}/test", null, HttpStatusCode.OK))!;
        receiver.Then(ReceiverAnswer.Slow(TimeSpan.FromSeconds(2)));
        var slow = (await Admin(HttpMethod.Post, $"/v1/webhooks/{hook}/test", null, HttpStatusCode.OK))!;
        var rotated = (await Admin(HttpMethod.Post, $"/v1/webhooks/{hook}/rotate-secret", null, HttpStatusCode.OK))!;
        await Admin(HttpMethod.Post, $"/v1/webhooks/{hook}/test", null, HttpStatusCode.OK);

        Assert.True((bool)ok["delivered"]!);
        Assert.Equal(200, (int)ok["status"]!);
        Assert.False((bool)refused["delivered"]!);
        Assert.Equal(502, (int)refused["status"]!);
        Assert.False((bool)slow["delivered"]!);
        Assert.Null((int?)slow["status"]);
        Assert.Equal("no answer within 1 s", (string?)slow["error"]);
        var sample = receiver.Requests[0].Events.Single()!;
        Assert.Equal("webhook.test", (string?)sample["type"]);
        Assert.Equal(hook, receiver.Requests[0].WebhookId);
        string newSecret = (string)rotated["secret"]!;
        Assert.NotEqual(secret, newSecret);
        var last = receiver.Requests.Last();
        bool[] withOld = await VerifyWithNode(secret, [(receiver.Requests[0].Signature, receiver.Requests[0].Body), (last.Signature, last.Body)]);
        bool[] withNew = await VerifyWithNode(newSecret, [(last.Signature, last.Body)]);
        Assert.Equal(new[] { true, false }, withOld);
        Assert.Equal(new[] { true }, withNew);

        // A receiver nobody listens on: a clear answer, not an error of ours.
        var port = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        port.Start();
        int closed = ((IPEndPoint)port.LocalEndpoint).Port;
        port.Stop();
        await Admin(HttpMethod.Put, $"/v1/webhooks/{hook}", $$$"""{"url": "http://127.0.0.1:{{{closed}}}/nobody"}""", HttpStatusCode.OK);
        var unreachable = (await Admin(HttpMethod.Post, $"/v1/webhooks/{hook}/test", null, HttpStatusCode.OK))!;
        Assert.False((bool)unreachable["delivered"]!);
        Assert.StartsWith("could not reach the receiver", (string?)unreachable["error"]);
        await Admin(HttpMethod.Post, $"/v1/webhooks/{NewId("none")}/test", null, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task WebhooksAreListedShownWithoutTheirSecretAndDeletedPerApp()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        string id = NewId("hook");
        var created = (await Admin(HttpMethod.Put, $"/v1/webhooks/{id}", $$$"""{"url": "{{{receiver.Url}}}", "events": ["message.sent", "message.sent"], "description": "<img src=x onerror=alert(1)>"}""", HttpStatusCode.Created))!;
        var replaced = (await Admin(HttpMethod.Put, $"/v1/webhooks/{id}", $$$"""{"url": "{{{receiver.Url}}}", "enabled": false}""", HttpStatusCode.OK))!;
        var shown = (await Admin(HttpMethod.Get, $"/v1/webhooks/{id}", null, HttpStatusCode.OK))!;
        var listed = (await Admin(HttpMethod.Get, "/v1/webhooks", null, HttpStatusCode.OK))!;
        var otherApp = (await Admin(HttpMethod.Get, "/v1/webhooks", null, HttpStatusCode.OK, TestApps.Other))!;
        await Admin(HttpMethod.Get, $"/v1/webhooks/{id}", null, HttpStatusCode.NotFound, TestApps.Other);

        Assert.Equal(["message.sent"], created["events"]!.AsArray().Select(e => (string?)e));
        Assert.Equal("<img src=x onerror=alert(1)>", (string?)created["description"]);
        Assert.StartsWith("whsec_", (string?)created["secret"]);
        Assert.Null(replaced["secret"]);
        Assert.Null(shown["secret"]);
        Assert.False((bool)shown["enabled"]!);
        Assert.Empty(shown["events"]!.AsArray());
        Assert.Equal(((string)created["secret"]!)[..6], ((string)shown["secretHint"]!)[..6]);
        Assert.Equal(0, (long)shown["backlog"]!["pending"]!);
        Assert.Contains(listed["webhooks"]!.AsArray(), h => (string?)h!["id"] == id);
        Assert.DoesNotContain(otherApp["webhooks"]!.AsArray(), h => (string?)h!["id"] == id);

        await Admin(HttpMethod.Delete, $"/v1/webhooks/{id}", null, HttpStatusCode.NoContent);
        await Admin(HttpMethod.Get, $"/v1/webhooks/{id}", null, HttpStatusCode.NotFound);
        await Admin(HttpMethod.Delete, $"/v1/webhooks/{id}", null, HttpStatusCode.NotFound);

        // A user whose silo still had the webhook in its routes hands it an event after the deletion: it is dropped.
        var orphan = server.Grains.GetGrain<IWebhookQueueGrain>(WebhookQueueGrain.Key(TestApps.Shop.Id, id, 0));
        await orphan.Enqueue([new Domain.Webhooks.WebhookEvent("ev_late", "segment.entered", server.Time.GetUtcNow().UtcDateTime, "late-user")]);
        await AdvanceUntilAsync(id, async () => (await orphan.GetStatus()).Pending == 0, TimeSpan.FromSeconds(1), "the late event to be dropped with the deleted webhook");
        Assert.Empty(receiver.Requests);
    }

    [Theory]
    [InlineData("""{"url": "http://example.com/hook"}""", "url: must be https")]
    [InlineData("""{"url": "ftp://example.com/hook"}""", "url: must be https, not ftp")]
    [InlineData("""{"url": "https://user:pw@example.com/hook"}""", "url: no user name or password")]
    [InlineData("""{"url": "/relative"}""", "url: not an absolute URL")]
    [InlineData("""{}""", "url: required")]
    [InlineData("""{"url": "https://example.com/hook", "events": ["message.sent", "<script>"]}""", "events: '<script>' is not an event type")]
    [InlineData("""{"url": "https://example.com/hook", "secret": "mine"}""", "secret")]
    [InlineData("""{"url": "https://example.com/hook", "enabled": "yes"}""", "enabled")]
    [InlineData("""{"url": 42}""", "url")]
    [InlineData("""{"url": "https://example.com/hook",""", "")]
    public async Task ABadWebhookIsRefusedWithItsReason(string json, string reason)
    {
        using var response = await server.AdminAsync(HttpMethod.Put, $"/v1/webhooks/{NewId("bad")}", json);
        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains(reason, string.Join("\n", (problem.Errors ?? []).Append(problem.Detail ?? "")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LimitsAreClearAnswers()
    {
        using (var huge = await server.AdminAsync(HttpMethod.Put, $"/v1/webhooks/{NewId("big")}", $$$"""{"url": "https://example.com/{{{new string('a', 20_000)}}}"}"""))
        {
            await huge.ShouldBeProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        }

        using (var longUrl = await server.AdminAsync(HttpMethod.Put, $"/v1/webhooks/{NewId("long")}", $$$"""{"url": "https://example.com/{{{new string('a', 3000)}}}"}"""))
        {
            Assert.Contains("url: at most 2048 characters.", (await longUrl.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).Errors!);
        }

        await Admin(HttpMethod.Put, "/v1/webhooks/%3Cb%3E", """{"url": "https://example.com/hook"}""", HttpStatusCode.BadRequest);
        for (int i = 0; i < 5; i++)
        {
            await Admin(HttpMethod.Put, $"/v1/webhooks/hook-{i}", """{"url": "https://example.com/hook", "enabled": false}""", HttpStatusCode.Created, TestApps.Lab);
        }

        using var sixth = await server.AdminAsync(HttpMethod.Put, "/v1/webhooks/hook-5", """{"url": "https://example.com/hook"}""", TestApps.Lab);
        Assert.Contains("already has 5 webhooks", (await sixth.ShouldBeProblemAsync(HttpStatusCode.Conflict)).Detail);
        await Admin(HttpMethod.Put, "/v1/webhooks/hook-4", """{"url": "https://example.com/other"}""", HttpStatusCode.OK, TestApps.Lab);
    }

    [Fact]
    public async Task ACampaignManagerAddsAWebhookInTheConsoleSeesItsSecretOnceTestsRotatesAndDeletesIt()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        using var session = await ConsoleSession.SignInAsync(server.BaseAddress, TestApps.Other.AdminKey);
        string id = NewId("console");

        using (var refused = await session.SubmitAsync("/console/webhooks/edit", "form[action='/console/webhooks/edit']", [new("id", id), new("url", "http://hooks.example.com/in")]))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains("url: must be https", ConsoleSession.Text(await refused.Content.ReadAsStringAsync()));
        }

        string secret;
        // Why: posted as the browser does, with two boxes of "events" ticked (SubmitAsync keeps one value per name).
        string token = await session.TokenAsync("/console/webhooks/edit");
        using (var created = await session.PostAsync("/console/webhooks/edit",
            [new("__RequestVerificationToken", token), new("id", id), new("url", receiver.Url), new("description", "<script>alert(1)</script>"),
             new("enabled", "yes"), new("events", "message.sent"), new("events", "segment.entered")]))
        {
            string html = await created.Content.ReadAsStringAsync();
            Assert.True(created.StatusCode == HttpStatusCode.OK, ConsoleSession.Text(html));
            var page = ConsoleSession.Parse(html);
            secret = page.QuerySelector("code.secret")!.TextContent;
            Assert.StartsWith("whsec_", secret);
            Assert.DoesNotContain("<script>alert(1)</script>", html);
        }

        var edit = await session.PageAsync($"/console/webhooks/edit/{id}");
        Assert.Null(edit.QuerySelector("code.secret"));
        Assert.DoesNotContain(secret, edit.DocumentElement.OuterHtml);
        Assert.Equal(["message.sent", "segment.entered"], edit.QuerySelectorAll("input[name=events][checked]").Select(e => e.GetAttribute("value")));
        var api = (await Admin(HttpMethod.Get, $"/v1/webhooks/{id}", null, HttpStatusCode.OK, TestApps.Other))!;
        Assert.Equal("<script>alert(1)</script>", (string?)api["description"]);

        using (var tested = await session.SubmitAsync($"/console/webhooks/edit/{id}", "form[action$='handler=test']", []))
        {
            Assert.Contains("The receiver took the sample: HTTP 200", ConsoleSession.Text(await tested.Content.ReadAsStringAsync()));
        }

        var sample = receiver.Requests.Single();
        Assert.True(Orleans.Segments.Domain.Webhooks.WebhookSignature.Verify(secret, sample.Signature, sample.Body, server.Time.GetUtcNow(), TimeSpan.FromMinutes(5)));

        using (var unconfirmed = await session.SubmitAsync($"/console/webhooks/edit/{id}", "form[action$='handler=rotate']", []))
        {
            Assert.Equal(HttpStatusCode.BadRequest, unconfirmed.StatusCode);
            Assert.Contains("Tick the box to confirm", ConsoleSession.Text(await unconfirmed.Content.ReadAsStringAsync()));
        }

        using (var rotated = await session.SubmitAsync($"/console/webhooks/edit/{id}", "form[action$='handler=rotate']", [new("confirm", "yes")]))
        {
            string newSecret = ConsoleSession.Parse(await rotated.Content.ReadAsStringAsync()).QuerySelector("code.secret")!.TextContent;
            Assert.StartsWith("whsec_", newSecret);
            Assert.NotEqual(secret, newSecret);
        }

        using (var deleted = await session.SubmitAsync($"/console/webhooks/edit/{id}", "form[action$='handler=delete']", [new("confirm", "yes")]))
        {
            Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
            Assert.Equal("/console/webhooks", deleted.Headers.Location!.OriginalString);
        }

        await Admin(HttpMethod.Get, $"/v1/webhooks/{id}", null, HttpStatusCode.NotFound, TestApps.Other);
        using var gone = await session.GetAsync($"/console/webhooks/edit/{id}");
        Assert.Equal(HttpStatusCode.Redirect, gone.StatusCode);
    }

    [Fact]
    public async Task JourneyStepsLifecycleChangesDeliveryReceiptsAndSuppressionsAreStreamedWithTheirFields()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (hook, _) = await Webhook(receiver);
        string journey = NewId("onboard");
        string signedUp = $"Signed Up {journey}";
        await Admin(HttpMethod.Put, $"/v1/journeys/{journey}", Apis.ApiDocs.JourneyExample.Replace("\"event\": \"Signed Up\"", $"\"event\": \"{signedUp}\"", StringComparison.Ordinal), HttpStatusCode.Created);
        await Admin(HttpMethod.Post, $"/v1/journeys/{journey}/launch", null, HttpStatusCode.OK);
        string campaign = NewId("nudge");
        string nudged = $"Nudged {campaign}";
        await Admin(HttpMethod.Put, $"/v1/campaigns/{campaign}", $$$"""{"trigger": {"type": "event", "event": "{{{nudged}}}"}, "message": {"title": "Hey", "body": "Come back"}}""", HttpStatusCode.Created);
        await Admin(HttpMethod.Post, $"/v1/campaigns/{campaign}/launch", null, HttpStatusCode.OK);

        string ada = TestApps.NewUserId(), bob = TestApps.NewUserId();
        foreach (string user in new[] { ada, bob })
        {
            await server.IngestAcceptedAsync("/v1/identify", $$$"""{"userId": "{{{user}}}", "traits": {"first_name": "<i>x</i>"}}""");
            await Admin(HttpMethod.Put, $"{SegmentsApi.UserPath(user)}/devices/{Tokens.Apns()}", """{"platform": "ios"}""", HttpStatusCode.OK);
        }

        await Admin(HttpMethod.Put, $"{SegmentsApi.UserPath(ada)}/subscriptions", """{"marketing": true}""", HttpStatusCode.OK);
        await server.IngestAcceptedAsync("/v1/track", $$$"""{"userId": "{{{ada}}}", "event": "{{{signedUp}}}"}""");
        var welcome = await Delivered(ada, $"journey:{journey}");
        string notification = (string)welcome["notificationId"]!;
        await server.IngestAcceptedAsync("/v1/track", $$$"""{"userId": "{{{ada}}}", "event": "Push Notification Received", "properties": {"notification_id": "{{{notification}}}"}}""");
        await server.IngestAcceptedAsync("/v1/track", $$$"""{"userId": "{{{ada}}}", "event": "Order Completed"}""");
        await server.IngestAcceptedAsync("/v1/track", $$$"""{"userId": "{{{bob}}}", "event": "{{{nudged}}}"}""");

        List<JsonNode> Of(string user, string type) => [.. Received(receiver, hook).Where(e => (string?)e["userId"] == user && (string?)e["type"] == type)];
        await AdvanceUntilAsync(hook, () => Of(ada, "journey.exited").Count > 0 && Of(ada, "message.delivered").Count > 0 && Of(bob, "message.suppressed").Count > 0,
            TimeSpan.FromSeconds(1), "the journey's, the receipt's and the suppression's events");

        Assert.Equal("new", (string?)Of(ada, "lifecycle.changed")[0]["to"]);
        Assert.Equal(journey, (string?)Assert.Single(Of(ada, "journey.entered"))["journeyId"]);
        Assert.Contains(Of(ada, "journey.step_reached"), e => (string?)e["stepId"] == "welcome" && (int?)e["version"] == 1);
        var sent = Assert.Single(Of(ada, "message.sent"), e => (string?)e["journeyId"] == journey);
        Assert.Equal(notification, (string?)sent["notificationId"]);
        Assert.Null(sent["campaignId"]);
        Assert.Equal(notification, (string?)Assert.Single(Of(ada, "message.delivered"))["notificationId"]);
        Assert.Equal("event:Order Completed", (string?)Assert.Single(Of(ada, "journey.exited"))["reason"]);
        var suppressed = Assert.Single(Of(bob, "message.suppressed"));
        Assert.Equal(campaign, (string?)suppressed["campaignId"]);
        Assert.Equal("no_consent", (string?)suppressed["reason"]);
        Assert.Empty(Of(bob, "message.sent"));
    }
}
