using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Orleans.Segments.Cluster.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Orleans.Segments.Cluster.Tests;

/// <summary>
/// Real processes on loopback: a storage backend (Redis, or Azurite for Azure Storage) and three silos of the
/// built server; every test runs on both backends. The issue asks for 100,000 events and a 30-second storage pause; on a 2-core machine shared with the build these are scaled down to 3,000 events
/// (60 users x 50) for the kill and an 8-second pause under 3,000 more, with the same checks: exact per-user
/// counts, bounded recovery. During the kill every event also fires a marketing campaign at its user, so the
/// same run checks that no user is pushed past the app's cap, and walks each user through a journey whose
/// event waits those events end: after the kill every user has walked it exactly once. A broadcast to 900 users has the silo holding
/// its campaign grain and every user's grain killed a third of the way in, and must still reach every user
/// exactly once and count them exactly.
/// </summary>
public abstract class FaultTests(IStorageServer storage, ITestOutputHelper output)
{
    private const int Users = 60;
    private const int EventsPerUser = 50;

    /// <summary>From the kill until every user answers again, with the fast failure detection the silos run with.</summary>
    private static readonly TimeSpan RecoveryBound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task KillingOneOfThreeSilosMidIngestLosesNoAcknowledgedEventAppliesNoneTwiceAndPushesNoUserPastTheCap_3000Events()
    {
        await using var cluster = new SiloSet(RedisFixture.NewClusterId("kill"), storage);
        var silos = await cluster.StartAsync(3, "cohosted", "silo", TimeSpan.FromSeconds(60));
        Assert.Equal(3, await ActiveSilosAsync(cluster.ClusterId));
        var batches = Ingestor.Plan("kill", Users, EventsPerUser, size: 20);
        var ingestor = new Ingestor(silos.Select(s => s.BaseAddress).ToList());
        await PrepareCampaignAsync(silos[0], "kill");

        var sending = ingestor.SendAllAsync(batches, TimeSpan.FromSeconds(90));
        await WaitUntil(() => ingestor.AcknowledgedBatches >= batches.Count / 3 || sending.IsCompleted, TimeSpan.FromSeconds(60), "a third of the batches acknowledged");
        var victim = silos[2];
        ingestor.Excluded[victim.BaseAddress] = true;
        victim.KillHard();
        var killedAt = Stopwatch.StartNew();
        output.WriteLine($"killed {victim.Name} after {ingestor.AcknowledgedBatches}/{batches.Count} batches");

        var recovered = await EveryUserAnswersAsync(silos[0], RecoveryBound);
        output.WriteLine($"every user answered again {recovered.TotalSeconds:0.0} s after the kill");
        await sending;
        output.WriteLine($"all acknowledged {killedAt.Elapsed.TotalSeconds:0.0} s after the kill; {ingestor.Answers.Count(a => a.Status != 200)} failed attempts retried");

        await AssertExactCountsAsync(silos[0], ingestor, "after the kill");
        await AssertNoCapExceededAsync(silos[0], "kill");
        await AssertEveryUserWalkedTheJourneyOnceAsync(silos[0], "kill");
        await AssertSendsAreInTheMetricsAsync([silos[0], silos[1]], "outcome=\"delivered\"", "outcome=\"suppressed_capped\"");
        Assert.True(await MembershipShowsAsync(cluster.ClusterId, active: 2, RecoveryBound), "The killed silo was never declared dead in the membership table.");
        Assert.True(recovered < RecoveryBound, $"The cluster served every user again only after {recovered.TotalSeconds:0.0} s.");
    }

    [Fact]
    public async Task KillingTheSiloOfACampaignMidBroadcastSendsEveryUserExactlyOnceAndCountsThemExactly_900Users()
    {
        const int users = 900;
        const string campaign = "v1/campaigns/blast";
        await using var cluster = new SiloSet(RedisFixture.NewClusterId("broadcast"), storage);

        // Why: the campaign's grain and the users' grains are activated while the first silo is alone, so they
        // all live on it; it is the one killed.
        var first = (await cluster.StartAsync(1, "cohosted", "first", TimeSpan.FromSeconds(60)))[0];
        using (var http = SegmentsHttp.Client(first.BaseAddress))
        {
            await Other(http, HttpMethod.Put, "v1/segments/reachable", """{"name": "Reachable", "rule": "has_push_token and subscribed(\"marketing\")"}""");
            await Parallel.ForEachAsync(Enumerable.Range(0, users), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (u, _) =>
            {
                string user = $"v1/users/blast-user-{u}";
                await Other(http, HttpMethod.Put, $"{user}/devices/{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32))}", """{"platform": "ios"}""");
                await Other(http, HttpMethod.Put, $"{user}/subscriptions", """{"marketing": true}""");
            });
            JsonNode? segment = null;
            await WaitUntilAsync(async () => (long?)(segment = await Other(http, HttpMethod.Get, "v1/segments/reachable"))!["size"] == users, TimeSpan.FromSeconds(30), "every user in the segment", () => segment?.ToJsonString());

            // Why: 300 users a minute, and a bucket that starts with one minute's worth: the first 300 are offered at
            // once and the rest would trickle, so the kill lands mid-broadcast; the throttle is raised after it.
            await Other(http, HttpMethod.Put, campaign, Blast(throttlePerMinute: 300));
            await Other(http, HttpMethod.Post, $"{campaign}/launch");
        }

        var others = await cluster.StartAsync(2, "cohosted", "other", TimeSpan.FromSeconds(60));

        // Why: a silo is ready once a grain call succeeds through it, but the three silos agree on the membership
        // (and so on which silo owns which part of the grain directory) only after each has re-read the table;
        // a send routed meanwhile may activate the campaign a second time until the directory settles. The
        // table is re-read every 2 s (FastFailureDetection): 5 s after it lists all three, every silo has read it twice.
        Assert.True(await MembershipShowsAsync(cluster.ClusterId, active: 3, RecoveryBound), "The two new silos never showed as active in the membership table.");
        await Task.Delay(TimeSpan.FromSeconds(5));
        using var survivor = SegmentsHttp.Client(others[0].BaseAddress, TimeSpan.FromSeconds(20));
        await Other(survivor, HttpMethod.Post, $"{campaign}/send");
        JsonNode? broadcast = null;
        await WaitUntilAsync(
            async () => (long?)(broadcast = (await Other(survivor, HttpMethod.Get, campaign))!["broadcast"])?["offered"] >= 300,
            TimeSpan.FromSeconds(60),
            "the first minute's worth offered",
            () => $"{broadcast?.ToJsonString() ?? "no broadcast"}\n{Logs([first, .. others])}");
        first.KillHard();
        output.WriteLine("killed the silo of the campaign and of every user, 300 users into the broadcast");

        // Why: a campaign manager raising the throttle through another silo reactivates the campaign there; it
        // continues from its persisted cursor.
        await WaitUntilAsync(async () =>
        {
            await Other(survivor, HttpMethod.Put, campaign, Blast(throttlePerMinute: 1_000_000));
            return true;
        }, RecoveryBound, "the campaign answering on a surviving silo");
        await WaitUntilAsync(
            async () => (broadcast = (await Other(survivor, HttpMethod.Get, campaign))!["broadcast"]) is null,
            RecoveryBound,
            "the broadcast finished",
            () => $"{broadcast?.ToJsonString()}\n{Logs(others)}");

        var view = (await Other(survivor, HttpMethod.Get, campaign))!;
        var stats = (await Other(survivor, HttpMethod.Get, $"{campaign}/stats"))!["total"]!;
        var wrong = new List<string>();
        int handedOverInTheCrash = 0;
        for (int u = 0; u < users; u++)
        {
            var log = (await Other(survivor, HttpMethod.Get, $"v1/users/blast-user-{u}/messages"))!["messages"]!.AsArray()
                .Where(m => (string?)m!["campaignId"] == "blast").ToList();
            int pushes = log.Count(m => (string?)m!["status"] is "delivered" or "handedover" or "sending" or "failed");
            handedOverInTheCrash += log.Count(m => (string?)m!["status"] == "handedover");
            if (pushes != 1 || log.Count != 1) wrong.Add($"blast-user-{u}: {string.Join(", ", log.Select(m => (string?)m!["status"]))}");
        }

        output.WriteLine($"{handedOverInTheCrash} users were handed over when the silo died (counted as sent, not resent)");
        Assert.Equal("done", (string?)view["pastBroadcasts"]![0]!["state"]);
        Assert.True(wrong.Count == 0, $"{wrong.Count} users did not get exactly one push:\n{string.Join('\n', wrong.Take(20))}");
        Assert.Equal((users, users, 0L), ((long)stats["targeted"]!, (long)stats["sent"]!, (long)stats["pending"]!));
        await AssertSendsAreInTheMetricsAsync(others, "outcome=\"delivered\"");
    }

    /// <summary>The last entries each silo logged (warnings and errors only, as the silos run), for failure messages.</summary>
    private static string Logs(IEnumerable<SegmentsProcess> silos) =>
        string.Join('\n', silos.Select(s => $"--- {s.Name}:\n{s.Output.Entries(40)}"));

    /// <summary>A management call of the app "other", whose users no other test of this class touches.</summary>
    private static Task<JsonNode?> Other(HttpClient http, HttpMethod method, string path, string? json = null) =>
        SegmentsHttp.AdminAsync(http, method, path, json, TestApp.Other);

    private static string Blast(int throttlePerMinute) => $$"""
        {"category": "marketing", "audience": {"segment": "reachable"}, "trigger": {"type": "manual"},
         "message": {"title": "Spring sale", "body": "It starts now."}, "quietHours": {"enabled": false},
         "throttlePerMinute": {{throttlePerMinute}}}
        """;

    [Fact]
    public async Task StoppingAndRestartingEverySiloBringsBackAllState()
    {
        await using var cluster = new SiloSet(RedisFixture.NewClusterId("restart"), storage);
        var first = await cluster.StartAsync(3, "cohosted", "silo", TimeSpan.FromSeconds(60));
        var ingestor = new Ingestor(first.Select(s => s.BaseAddress).ToList());
        await ingestor.SendAllAsync(Ingestor.Plan("restart", users: 30, eventsPerUser: 10, size: 20), TimeSpan.FromSeconds(60));

        await Task.WhenAll(first.Select(silo => silo.StopAsync(TimeSpan.FromSeconds(30))));
        var second = await cluster.StartAsync(3, "cohosted", "again", TimeSpan.FromSeconds(60));

        await AssertExactCountsAsync(second[1], ingestor, "after every silo was restarted");
    }

    [Fact]
    public async Task PausingStorageUnderLoadAnswers503WithRetryAfterNeverAFalse2xxAndRecoversByItself_12sPause()
    {
        await using var cluster = new SiloSet(RedisFixture.NewClusterId("pause"), storage);
        var silos = await cluster.StartAsync(2, "cohosted", "silo", TimeSpan.FromSeconds(60));
        // Why: enough load that it is still being sent when storage pauses (3,000 events were all acknowledged
        // within 0.8 s once profile writes got cheaper, and the pause then saw no request at all; a CI run of
        // 12,000 events on 2 busy cores did the same once, so the load is 40,000 events now).
        var batches = Ingestor.Plan("pause", users: 40, eventsPerUser: 1_000, size: 10);
        var ingestor = new Ingestor(silos.Select(s => s.BaseAddress).ToList());

        var clock = Stopwatch.StartNew();
        var sending = ingestor.SendAllAsync(batches, TimeSpan.FromSeconds(90));
        await WaitUntil(() => ingestor.AcknowledgedBatches >= 20 || sending.IsCompleted, TimeSpan.FromSeconds(30), "load before the pause");
        Assert.False(sending.IsCompleted, "Every event was acknowledged before storage paused: the pause would test nothing; the load must be larger.");
        storage.Pause();
        var pausedAt = clock.Elapsed;
        HttpResponseMessage? managementAnswer = null;
        try
        {
            // A user never seen: reading it activates its grain, which must read storage.
            using var management = SegmentsHttp.Client(silos[1].BaseAddress, TimeSpan.FromSeconds(20));
            var read = SegmentsHttp.GetUserAsync(management, "pause-user-never-seen");

            // Why: storage clients give up on a frozen store after about 4 s, so the requests in flight are answered
            // 503 inside the pause; on two cores busy with the rest of CI those timeouts once fired only after an
            // 8 s pause had ended (a run of 35 s, against 14 s alone), so the pause is 12 s.
            await Task.Delay(TimeSpan.FromSeconds(12));
            managementAnswer = await read;
        }
        finally
        {
            storage.Resume();
        }

        var resumedAt = clock.Elapsed;
        await sending;

        // Why: a request started while Redis is frozen cannot be stored until it resumes, so one that is also
        // answered before the resume must be a 503 with Retry-After; answered 200 after it, the count check
        // below proves it durable. And while Redis is frozen the API must be seen answering 503s.
        var startedInPause = ingestor.Answers.Where(a => a.Started > pausedAt + TimeSpan.FromMilliseconds(200) && a.Started < resumedAt).ToList();
        var answeredInPause = ingestor.Answers.Where(a => a.Ended > pausedAt && a.Ended < resumedAt).ToList();
        output.WriteLine($"pause {pausedAt.TotalSeconds:0.0}-{resumedAt.TotalSeconds:0.0} s; answered inside: " +
                         string.Join(", ", answeredInPause.Select(a => $"{a.Status}@{a.Started.TotalSeconds:0.0}-{a.Ended.TotalSeconds:0.0}")) +
                         "; started inside: " + string.Join(", ", startedInPause.Select(a => $"{a.Status}@{a.Started.TotalSeconds:0.0}-{a.Ended.TotalSeconds:0.0}")));
        Assert.Contains(answeredInPause, a => a.Status == 503 && a.RetryAfter);
        Assert.All(startedInPause.Where(a => a.Ended < resumedAt), a =>
            Assert.True(a.Status == 503 && a.RetryAfter, $"Inside the pause a request was answered {a.Status} (Retry-After: {a.RetryAfter})."));
        Assert.All(ingestor.Answers, a => Assert.True(a.Status is 200 or 503, $"An answer was {a.Status}: only 200 and 503 are acceptable."));
        Assert.All(ingestor.Answers, a => Assert.True(a.Ended - a.Started < TimeSpan.FromSeconds(15), $"A request took {(a.Ended - a.Started).TotalSeconds:0.0} s: an outage must not hang clients."));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, managementAnswer.StatusCode);
        Assert.NotNull(managementAnswer.Headers.RetryAfter);
        managementAnswer.Dispose();

        var firstAckAfter = ingestor.Answers.Where(a => a.Status == 200 && a.Started >= resumedAt).Select(a => a.Ended - resumedAt).DefaultIfEmpty(TimeSpan.Zero).Min();
        output.WriteLine($"first acknowledgement {firstAckAfter.TotalSeconds:0.0} s after Redis resumed");
        Assert.True(firstAckAfter < TimeSpan.FromSeconds(15), $"Ingestion recovered only {firstAckAfter.TotalSeconds:0.0} s after Redis resumed.");
        await AssertExactCountsAsync(silos[0], ingestor, "after the Redis pause");
    }

    /// <summary>
    /// Gives every user a device and marketing consent, and launches a campaign that pushes on every event the
    /// ingestor sends: far more sends are attempted than the app's cap (3 marketing pushes per 24 hours) allows.
    /// </summary>
    private static async Task PrepareCampaignAsync(SegmentsProcess server, string prefix)
    {
        using var http = SegmentsHttp.Client(server.BaseAddress);
        for (int u = 0; u < Users; u++)
        {
            string user = $"v1/users/{prefix}-user-{u}";
            await SegmentsHttp.AdminAsync(http, HttpMethod.Put, $"{user}/devices/{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32))}", """{"platform": "ios"}""");
            await SegmentsHttp.AdminAsync(http, HttpMethod.Put, $"{user}/subscriptions", """{"marketing": true}""");
        }

        await SegmentsHttp.AdminAsync(http, HttpMethod.Put, $"v1/campaigns/{prefix}-every-view", """
            {"priority": "high", "trigger": {"type": "event", "event": "Item Viewed"},
             "message": {"title": "Still looking?", "body": "It is still there."}, "quietHours": {"enabled": false}}
            """);
        await SegmentsHttp.AdminAsync(http, HttpMethod.Post, $"v1/campaigns/{prefix}-every-view/launch");

        // A journey the same events walk: the first view enters it, each later one moves the user past an event wait.
        await SegmentsHttp.AdminAsync(http, HttpMethod.Put, $"v1/journeys/{prefix}-views", """
            {"name": "Views", "category": "transactional", "entry": {"type": "event", "event": "Item Viewed"}, "start": "first",
             "steps": [
               {"id": "first", "type": "message", "message": {"title": "One", "body": "1"}, "next": "wait1"},
               {"id": "wait1", "type": "wait", "untilEvent": "Item Viewed", "timeout": "1d", "next": "second", "timedOut": "done"},
               {"id": "second", "type": "message", "message": {"title": "Two", "body": "2"}, "next": "wait2"},
               {"id": "wait2", "type": "wait", "untilEvent": "Item Viewed", "timeout": "1d", "next": "third", "timedOut": "done"},
               {"id": "third", "type": "message", "message": {"title": "Three", "body": "3"}, "next": "done"},
               {"id": "done", "type": "exit"}]}
            """);
        await SegmentsHttp.AdminAsync(http, HttpMethod.Post, $"v1/journeys/{prefix}-views/launch");

        // Why: a silo other than the registry's learns of a new campaign (or journey) when its copy is older than
        // CampaignCache.MaxAge (5 s); these are real processes on real time, so the test waits that long.
        await Task.Delay(TimeSpan.FromSeconds(6));
    }

    /// <summary>No user's message log shows more pushes handed over than the app's cap of 3 per 24 hours.</summary>
    private static async Task AssertNoCapExceededAsync(SegmentsProcess server, string prefix)
    {
        using var http = SegmentsHttp.Client(server.BaseAddress);
        var over = new List<string>();
        int pushed = 0, capped = 0;
        for (int u = 0; u < Users; u++)
        {
            var log = (await SegmentsHttp.AdminAsync(http, HttpMethod.Get, $"v1/users/{prefix}-user-{u}/messages"))!["messages"]!.AsArray();
            // Why: the journey's messages are transactional, outside the marketing cap.
            int handedOver = log.Count(m => !((string?)m!["campaignId"])!.StartsWith("journey:", StringComparison.Ordinal)
                && (string?)m["status"] is "delivered" or "handedover" or "sending" or "failed");
            pushed += handedOver;
            capped += log.Count(m => (string?)m!["reason"] == "capped");
            if (handedOver > 3) over.Add($"{prefix}-user-{u}: {handedOver} pushes");
        }

        Assert.True(over.Count == 0, $"{over.Count} users were pushed past the cap:\n{string.Join('\n', over)}");
        Assert.True(pushed > 0 && capped > 0, $"The campaign pushed {pushed} and capped {capped}: the cap was never put to the test.");
    }

    /// <summary>
    /// Every user walked the journey exactly once through the kill: one run, completed (50 views are far more than
    /// its three steps need), each of its three messages queued once and handed over at most once.
    /// </summary>
    private static async Task AssertEveryUserWalkedTheJourneyOnceAsync(SegmentsProcess server, string prefix)
    {
        using var http = SegmentsHttp.Client(server.BaseAddress);
        var wrong = new List<string>();
        for (int u = 0; u < Users; u++)
        {
            string user = $"v1/users/{prefix}-user-{u}";
            var runs = (await SegmentsHttp.AdminAsync(http, HttpMethod.Get, $"{user}/journeys"))!["journeys"]!.AsArray();
            var log = (await SegmentsHttp.AdminAsync(http, HttpMethod.Get, $"{user}/messages"))!["messages"]!.AsArray()
                .Where(m => (string?)m!["campaignId"] == $"journey:{prefix}-views").ToList();
            if (runs.Count != 1 || (string?)runs[0]!["exitReason"] != "completed")
            {
                wrong.Add($"{prefix}-user-{u}: {runs.Count} runs, {runs.Select(r => (string?)r!["exitReason"] ?? (string?)r!["step"]).FirstOrDefault()}");
                continue;
            }

            var queued = runs[0]!["trail"]!.AsArray().Where(t => (string?)t!["kind"] == "message").Select(t => (string?)t!["step"]).ToList();
            var ids = log.Select(m => (string?)m!["notificationId"]).ToList();
            if (!queued.SequenceEqual(["first", "second", "third"]) || ids.Count != 3 || ids.Distinct().Count() != 3)
            {
                wrong.Add($"{prefix}-user-{u}: queued [{string.Join(", ", queued)}], logged {ids.Count} ({ids.Distinct().Count()} distinct)");
            }
        }

        Assert.True(wrong.Count == 0, $"{wrong.Count} users did not walk the journey exactly once:\n{string.Join('\n', wrong)}");
    }

    /// <summary>
    /// The silos' /metrics (Prometheus, operator key) count the campaign's decisions with each of
    /// <paramref name="outcomes"/> (and, for capped ones, the caps hit) on at least one of them: user grains run
    /// on whichever silo placement chose. Checked on real processes: in one test process, several servers'
    /// meters share names and interfere.
    /// </summary>
    private static async Task AssertSendsAreInTheMetricsAsync(SegmentsProcess[] servers, params string[] outcomes)
    {
        var lines = new List<string>();
        foreach (var server in servers)
        {
            using var http = SegmentsHttp.Client(server.BaseAddress);
            using var request = new HttpRequestMessage(HttpMethod.Get, "metrics");
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", TestApp.OperatorKey);
            using var response = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            lines.AddRange((await response.Content.ReadAsStringAsync()).Split('\n'));
        }

        foreach (string outcome in outcomes)
        {
            Assert.Contains(lines, l => l.StartsWith("segments_sends_total{", StringComparison.Ordinal) && l.Contains(outcome, StringComparison.Ordinal));
        }

        if (outcomes.Any(o => o.Contains("capped", StringComparison.Ordinal))) Assert.Contains(lines, l => l.StartsWith("segments_caps_hit_total{", StringComparison.Ordinal));
    }

    /// <summary>Every user's applied count equals what the client got 200 for: none lost, none applied twice.</summary>
    private static async Task AssertExactCountsAsync(SegmentsProcess server, Ingestor ingestor, string phase)
    {
        using var http = SegmentsHttp.Client(server.BaseAddress);
        var mismatches = new List<string>();
        foreach (var (userId, expected) in ingestor.Acknowledged.OrderBy(p => p.Key))
        {
            long? applied = await SegmentsHttp.EventsAppliedAsync(http, userId);
            if (applied != expected) mismatches.Add($"{userId}: acknowledged {expected}, applied {applied?.ToString() ?? "none (unknown user)"}");
        }

        Assert.True(mismatches.Count == 0, $"{phase}, {mismatches.Count} users differ:\n{string.Join('\n', mismatches.Take(20))}");
    }

    /// <summary>
    /// Whether the membership table comes to list <paramref name="active"/> active silos within <paramref name="bound"/>:
    /// declaring a killed silo dead takes missed probes and votes, which can outlast the test's own checks.
    /// </summary>
    private async Task<bool> MembershipShowsAsync(string clusterId, int active, TimeSpan bound)
    {
        var clock = Stopwatch.StartNew();
        while (await ActiveSilosAsync(clusterId) != active)
        {
            if (clock.Elapsed > bound) return false;

            // Why: real processes on real time (no FakeTimeProvider reaches them); bounded by `bound`.
            await Task.Delay(200);
        }

        return true;
    }

    /// <summary>Silos the membership table lists as active in the cluster.</summary>
    private Task<int> ActiveSilosAsync(string clusterId) => storage.ActiveSilosAsync(clusterId);

    /// <summary>How long until one round of reading every user through <paramref name="server"/> succeeds.</summary>
    private static async Task<TimeSpan> EveryUserAnswersAsync(SegmentsProcess server, TimeSpan bound)
    {
        using var http = SegmentsHttp.Client(server.BaseAddress, TimeSpan.FromSeconds(10));
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < bound)
        {
            try
            {
                for (int u = 0; u < Users; u++) await SegmentsHttp.EventsAppliedAsync(http, $"kill-user-{u}");
                return clock.Elapsed;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // Why: this polls real server processes, which run on real time (no FakeTimeProvider reaches
                // them); the loop is bounded by `bound`.
                await Task.Delay(200);
            }
        }

        return clock.Elapsed;
    }

    /// <summary>
    /// Polls until <paramref name="condition"/> holds. Calls that fail while a dead silo is being declared dead
    /// count as "not yet". Real server processes run on real time (no FakeTimeProvider reaches them), so the
    /// poll waits between tries, bounded by <paramref name="timeout"/>.
    /// </summary>
    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what, Func<string?>? lastSeen = null)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            string? failure = null;
            try
            {
                if (await condition()) return;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                failure = ex.Message;
            }

            if (clock.Elapsed > timeout) Assert.Fail($"Timed out after {timeout.TotalSeconds:0} s waiting for {what}; last seen: {failure ?? lastSeen?.Invoke() ?? "-"}.");
            await Task.Delay(100);
        }
    }

    private static Task WaitUntil(Func<bool> condition, TimeSpan timeout, string what) =>
        WaitUntilAsync(() => Task.FromResult(condition()), timeout, what);
}

/// <summary>The fault tests on Redis.</summary>
[Collection(ProcessCollection.Name)]
public sealed class RedisFaultTests(RedisFixture fixture, ITestOutputHelper output) : FaultTests(fixture.Redis, output), IClassFixture<RedisFixture>;

/// <summary>The fault tests on Azure Storage (Azurite): Table membership and reminders, Blob grain state.</summary>
[Collection(ProcessCollection.Name)]
public sealed class AzureStorageFaultTests(AzuriteFixture fixture, ITestOutputHelper output) : FaultTests(fixture.Azurite, output), IClassFixture<AzuriteFixture>;
