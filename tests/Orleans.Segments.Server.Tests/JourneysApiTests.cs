using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Orleans.Segments.Contracts;
using Orleans.Segments.Server.Apis;
using Orleans.Segments.Server.Application;
using Orleans.Segments.Server.Tests.Infrastructure;

namespace Orleans.Segments.Server.Tests;

/// <summary>
/// Journeys over HTTP: defined, read back, listed, launched, paused, resumed, archived, entered by the API, their
/// counts and a user's runs, and every way a call can be wrong.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class JourneysApiTests(ServerFixture server)
{
    private static string NewId(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>
    /// The issue's example, as the API reference shows it (welcome on day 0; on day 1 a tip if no product was viewed;
    /// on day 3 an offer unless they bought), with re-entry after 30 days; entered by an event, or by a segment.
    /// </summary>
    private static JsonObject Onboarding(string? segment = null)
    {
        var journey = JsonNode.Parse(ApiDocs.JourneyExample)!.AsObject();
        journey["reentry"] = JsonNode.Parse("""{"allowed": true, "after": "30d"}""");
        if (segment is not null) journey["entry"] = new JsonObject { ["type"] = "segment_entry", ["segment"] = segment };
        return journey;
    }

    private async Task<JsonNode> Send(HttpMethod method, string path, string? json, HttpStatusCode expected)
    {
        using var response = await server.AdminAsync(method, path, json);
        return JsonNode.Parse(await response.ShouldHaveStatusAsync(expected))!;
    }

    private async Task<string[]> Problems(string id, JsonNode body)
    {
        using var response = await server.AdminAsync(HttpMethod.Put, $"/v1/journeys/{id}", body.ToJsonString());
        return (await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).Errors;
    }

    private static JsonObject WithStep(JsonObject journey, string stepId, Action<JsonObject> change)
    {
        change(journey["steps"]!.AsArray().Single(s => (string?)s!["id"] == stepId)!.AsObject());
        return journey;
    }

    [Fact]
    public async Task TheOnboardingJourneyIsDefinedReadBackInTheSameShapeAndListed()
    {
        string id = NewId("onboarding");

        var created = await Send(HttpMethod.Put, $"/v1/journeys/{id}", Onboarding().ToJsonString(), HttpStatusCode.Created);
        var read = await Send(HttpMethod.Get, $"/v1/journeys/{id}", null, HttpStatusCode.OK);
        var changed = await Send(HttpMethod.Put, $"/v1/journeys/{id}", WithStep(Onboarding(), "day1", s => s["duration"] = "2d").ToJsonString(), HttpStatusCode.OK);
        var list = await Send(HttpMethod.Get, "/v1/journeys", null, HttpStatusCode.OK);

        Assert.Equal(("draft", 1), ((string?)created["status"], (int)created["version"]!));
        var definition = read["definition"]!;
        Assert.Equal("event", (string?)definition["entry"]!["type"]);
        Assert.Equal("Signed Up", (string?)definition["entry"]!["event"]);
        Assert.Equal("30d", (string?)definition["reentry"]!["after"]);
        Assert.Equal(["event", "consent_withdrawn"], definition["exits"]!.AsArray().Select(x => (string?)x!["type"]));
        var steps = definition["steps"]!.AsArray();
        Assert.Equal(["welcome", "day1", "viewed", "tip", "day3", "morning", "offer", "bought"], steps.Select(s => (string?)s!["id"]));
        Assert.Equal("count(\"Product Viewed\", 30d) > 0", (string?)steps[2]!["rules"]![0]!["rule"]);
        Assert.Equal(("Order Completed", "2d", "morning"), ((string?)steps[4]!["untilEvent"], (string?)steps[4]!["timeout"], (string?)steps[4]!["timedOut"]));
        Assert.Equal("09:00", (string?)steps[5]!["untilLocalTime"]);
        Assert.Equal("Welcome {{ traits.first_name | default: \"there\" }}", (string?)steps[0]!["message"]!["title"]);
        Assert.Equal("2d", (string?)changed["definition"]!["steps"]![1]!["duration"]);
        var listed = list["journeys"]!.AsArray().Single(j => (string?)j!["id"] == id)!;
        Assert.Equal(("Onboarding", "draft", 8), ((string?)listed["name"], (string?)listed["status"], (int)listed["steps"]!));
    }

    [Fact]
    public async Task EveryWrongFieldOfAJourneyIsNamedInOneAnswer()
    {
        string body = """
            {"name": "All wrong", "priority": 5, "stepz": [], "entry": {"type": "birthday"},
             "exits": [{"type": "event"}, 3], "reentry": {"after": "soon"},
             "start": "a",
             "steps": [{"id": "a", "type": "message", "message": {"title": "Hi", "body": 7}, "next": "b"},
                       {"id": "b", "type": "teleport"},
                       {"id": "c", "type": "wait", "untilLocalTime": "25:00", "next": "a"}]}
            """;

        using var response = await server.AdminAsync(HttpMethod.Put, $"/v1/journeys/{NewId("allwrong")}", body);
        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);

        foreach (string expected in new[]
        {
            "priority: must be a string.", "stepz: not a field of a journey.", "exits[1]: must be an object.", "steps[0].message.body: must be a string.",
            "entry.type: one of segment_entry, lifecycle, event, geofence_entry, api.", "reentry.after: a duration", "steps[1].type: one of message, wait, branch, exit.",
            "steps[2].untilLocalTime: a local time such as 09:00.",
        })
        {
            Assert.True(problem.Errors.Any(e => e.StartsWith(expected, StringComparison.Ordinal)), $"'{expected}' is not among: {string.Join(" | ", problem.Errors)}");
        }
    }

    [Fact]
    public async Task ACycleIsRefusedNamingItsSteps()
    {
        var errors = await Problems(NewId("cycle"), WithStep(Onboarding(), "offer", s => s["next"] = "day1"));

        Assert.Contains(errors, e => e.StartsWith("steps: day1 → viewed → tip → day3 → morning → offer → day1 is a cycle", StringComparison.Ordinal));
    }

    [Fact]
    public async Task UnreachableStepsLongWaitsMissingDefaultsAndUnknownStepsAreEachNamedWithTheirPath()
    {
        var journey = Onboarding();
        journey["steps"]!.AsArray().Add(JsonNode.Parse("""{"id": "orphan", "type": "exit"}"""));

        var unreachable = await Problems(NewId("orphan"), journey);
        var longWait = await Problems(NewId("long"), WithStep(Onboarding(), "day1", s => s["duration"] = "91d"));
        var noDefault = await Problems(NewId("nodefault"), WithStep(Onboarding(), "viewed", s => s.Remove("otherwise")));
        var unknown = await Problems(NewId("unknown"), WithStep(Onboarding(), "tip", s => s["next"] = "nowhere"));

        Assert.Equal(["steps[8]: \"orphan\" cannot be reached from the start \"welcome\"."], unreachable);
        Assert.Equal(["steps[1].duration: more than 0 and at most 90 days."], longWait);
        Assert.Equal(["steps[2].otherwise: required for a branch step."], noDefault);
        Assert.Equal(["steps[3].next: no step \"nowhere\"."], unknown);
    }

    [Fact]
    public async Task MoreThanFiftyStepsAndBrokenRulesAndTemplatesAreRefused()
    {
        var many = Onboarding();
        var steps = new JsonArray();
        for (int i = 0; i < 51; i++) steps.Add(JsonNode.Parse($$"""{"id": "s{{i}}", "type": "wait", "duration": "1h", "next": "s{{i + 1}}"}"""));
        many["steps"] = steps;
        many["start"] = "s0";

        var tooMany = await Problems(NewId("many"), many);
        var brokenRule = await Problems(NewId("rule"), WithStep(Onboarding(), "viewed", s => s["rules"]![0]!["rule"] = "count(\"Product Viewed\" >"));
        var brokenTemplate = await Problems(NewId("template"), WithStep(Onboarding(), "tip", s => s["message"]!["body"] = "{{ traits.name "));

        Assert.Equal(["steps: 51 steps, at most 50 are allowed."], tooMany);
        Assert.StartsWith("steps[2].rules[0].rule: line 1, column", Assert.Single(brokenRule));
        Assert.StartsWith("steps[3].message: ", Assert.Single(brokenTemplate));
    }

    [Fact]
    public async Task ADefinitionOver64KbIsRefusedBeforeItIsRead()
    {
        var journey = Onboarding();
        journey["name"] = new string('x', 70 * 1024);

        using var response = await server.AdminAsync(HttpMethod.Put, $"/v1/journeys/{NewId("big")}", journey.ToJsonString());

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task BrokenJsonAndBrokenEncodingsAre400()
    {
        using var broken = await server.AdminAsync(HttpMethod.Put, $"/v1/journeys/{NewId("broken")}", """{"name": "x", "steps": [""");
        using var request = new HttpRequestMessage(HttpMethod.Put, $"/v1/journeys/{NewId("latin1")}")
        {
            Content = new ByteArrayContent([.. Encoding.UTF8.GetBytes("{\"name\": \""), 0xFF, 0xFE, .. Encoding.UTF8.GetBytes("\"}")]),
        };
        request.Content.Headers.ContentType = new("application/json");
        using var badBytes = await server.Http.SendAsync(request.WithBearer(TestApps.Shop.AdminKey));

        await broken.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        await badBytes.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task HtmlIsKeptAsTextAndIsNoStepId()
    {
        string id = NewId("html");
        var journey = Onboarding();
        journey["name"] = "<script>alert(1)</script>";
        WithStep(journey, "tip", s => s["message"]!["title"] = "<img src=x onerror=alert(1)>");

        var stored = await Send(HttpMethod.Put, $"/v1/journeys/{id}", journey.ToJsonString(), HttpStatusCode.Created);
        var htmlId = await Problems(NewId("htmlid"), WithStep(Onboarding(), "bought", s => s["id"] = "<b>x</b>"));

        Assert.Equal("<script>alert(1)</script>", (string?)stored["definition"]!["name"]);
        Assert.Equal("<img src=x onerror=alert(1)>", (string?)stored["definition"]!["steps"]![3]!["message"]!["title"]);
        Assert.Contains("steps[7].id: 1 to 64 letters, digits, '-' or '_'.", htmlId);
    }

    [Fact]
    public async Task AJourneyNamingAnUnknownSegmentIsRefusedAndASegmentAJourneyUsesCannotBeDeleted()
    {
        string segment = NewId("trial");
        await server.PutSegmentAsync(segment, "has_trait(\"trial\")");
        string id = NewId("bysegment");

        var unknown = await Problems(NewId("nosegment"), Onboarding(segment: "no-such-segment"));
        await Send(HttpMethod.Put, $"/v1/journeys/{id}", Onboarding(segment).ToJsonString(), HttpStatusCode.Created);
        using var delete = await server.AdminAsync(HttpMethod.Delete, $"/v1/segments/{segment}");
        var conflict = await delete.ShouldBeProblemAsync(HttpStatusCode.Conflict);
        await Send(HttpMethod.Post, $"/v1/journeys/{id}/archive", null, HttpStatusCode.OK);
        using var deleteAfterArchive = await server.AdminAsync(HttpMethod.Delete, $"/v1/segments/{segment}");

        Assert.Contains("no segment 'no-such-segment' is defined in this app.", unknown);
        Assert.Contains($"journey '{id}' uses segment '{segment}'.", conflict.Errors);
        Assert.Equal(HttpStatusCode.NoContent, deleteAfterArchive.StatusCode);
    }

    [Fact]
    public async Task AnArchivedJourneyCannotBeChangedAndAnUnknownOneIsNotFound()
    {
        string id = NewId("archived");
        await Send(HttpMethod.Put, $"/v1/journeys/{id}", Onboarding().ToJsonString(), HttpStatusCode.Created);

        var archived = await Send(HttpMethod.Post, $"/v1/journeys/{id}/archive", """{"reason": "replaced by <b>onboarding-2</b>"}""", HttpStatusCode.OK);
        using var badReason = await server.AdminAsync(HttpMethod.Post, $"/v1/journeys/{id}/archive", """{"reason": "", "why": 1}""");
        using var change = await server.AdminAsync(HttpMethod.Put, $"/v1/journeys/{id}", Onboarding().ToJsonString());
        using var unknown = await server.AdminAsync(HttpMethod.Get, $"/v1/journeys/{NewId("nobody")}");
        using var archiveUnknown = await server.AdminAsync(HttpMethod.Post, $"/v1/journeys/{NewId("nobody")}/archive");
        using var mismatch = await server.AdminAsync(HttpMethod.Put, $"/v1/journeys/{NewId("mismatch")}", Onboarding().Also(j => j["id"] = "other").ToJsonString());

        Assert.Equal(("archived", "replaced by <b>onboarding-2</b>"), ((string?)archived["status"], (string?)archived["statusReason"]));
        await badReason.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        await change.ShouldBeProblemAsync(HttpStatusCode.Conflict);
        await unknown.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await archiveUnknown.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        Assert.Contains((await mismatch.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).Errors, e => e.StartsWith("id: 'other' does not match", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheConsoleListsJourneysAndShowsTheStepsInTheOrderAUserMeetsThemWithTheirPaths()
    {
        string id = NewId("console");
        var journey = Onboarding();
        journey["name"] = "<script>alert(1)</script> Onboarding";
        await Send(HttpMethod.Put, $"/v1/journeys/{id}", journey.ToJsonString(), HttpStatusCode.Created);
        using var session = await ConsoleSession.SignInAsync(server.BaseAddress, TestApps.Shop.AdminKey);

        var list = await session.PageAsync("/console/journeys");
        var details = await session.PageAsync($"/console/journeys/{id}");
        using var unknown = await session.GetAsync($"/console/journeys/{NewId("nobody")}");

        Assert.Contains(list.QuerySelectorAll("a"), a => a.GetAttribute("href") == $"/console/journeys/{id}" && a.TextContent == "<script>alert(1)</script> Onboarding");
        Assert.Empty(details.QuerySelectorAll("main script"));
        var steps = details.QuerySelectorAll("ol.journey > li").ToList();
        Assert.Equal(["welcome", "day1", "viewed", "tip", "day3", "bought", "morning", "offer"], steps.Select(li => li.Id!["step-".Length..]));
        var wait = steps.Single(li => li.Id == "step-day3");
        Assert.Contains("wait until “Order Completed” happens, at most 2d", wait.TextContent);
        Assert.Equal(["happened → bought", "timed out → morning"], wait.QuerySelectorAll("ul > li").Select(li => li.TextContent.Trim()));
        Assert.Equal("otherwise → tip", steps.Single(li => li.Id == "step-viewed").QuerySelectorAll("ul > li").Last().TextContent.Trim());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task TheConsoleLaunchesPausesResumesAndArchivesAJourneyAndShowsItsCountsAtEachStep()
    {
        string id = NewId("renewal");
        string userId = await KnownUser();
        await Send(HttpMethod.Put, $"/v1/journeys/{id}", Renewal(id), HttpStatusCode.Created);
        using var session = await ConsoleSession.SignInAsync(server.BaseAddress, TestApps.Shop.AdminKey);
        string page = $"/console/journeys/{id}";

        using var launched = await session.SubmitAsync(page, "form.command-launch", []);
        await Send(HttpMethod.Post, $"/v1/journeys/{id}/enter", $$$"""{"userId": "{{{userId}}}"}""", HttpStatusCode.OK);

        // Why: the step's push is made in the user grain's next turn, queued before the enter call answered; reading
        // the user's messages waits for that turn (and the counts it hands over) without a timed wait.
        await Send(HttpMethod.Get, $"{Infrastructure.SegmentsApi.UserPath(userId)}/messages", null, HttpStatusCode.OK);
        var live = await session.PageAsync(page);
        using var paused = await session.SubmitAsync(page, "form.command-pause", []);
        var pausedPage = await session.PageAsync(page);
        using var resumed = await session.SubmitAsync(page, "form.command-resume", []);
        using var unconfirmed = await session.PostAsync($"{page}?handler=command", [new("__RequestVerificationToken", await session.TokenAsync(page)), new("command", "archive")]);
        using var unknownCommand = await session.PostAsync($"{page}?handler=command", [new("__RequestVerificationToken", await session.TokenAsync(page)), new("command", "<b>explode</b>")]);
        using var archived = await session.SubmitAsync($"{page}?confirm=archive", "#confirm form", []);
        var archivedPage = await session.PageAsync(page);

        Assert.Equal(HttpStatusCode.Redirect, launched.StatusCode);
        Assert.Equal("live", live.QuerySelector("h1 + .badge")!.TextContent);
        Assert.Contains("1 reached", live.QuerySelector("#step-hello .step-counts")!.TextContent);
        Assert.Contains("1 here now", live.QuerySelector("#step-wait .step-counts")!.TextContent);
        Assert.Equal("then → wait · 1 users", live.QuerySelectorAll("#step-hello ul > li").Single().TextContent.Trim());
        Assert.Contains("1 sent", live.QuerySelectorAll("#step-hello .step-counts").Last().TextContent);
        Assert.Equal("1", live.QuerySelectorAll("table tr").First(tr => tr.QuerySelector("th")?.TextContent == "entered").QuerySelector("td")!.TextContent);
        Assert.Equal(HttpStatusCode.Redirect, paused.StatusCode);
        Assert.Equal("paused", pausedPage.QuerySelector("h1 + .badge")!.TextContent);
        Assert.NotNull(pausedPage.QuerySelector("form.command-resume"));
        Assert.Equal(HttpStatusCode.Redirect, resumed.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, unconfirmed.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, unknownCommand.StatusCode);
        Assert.DoesNotContain("<b>explode</b>", await unknownCommand.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, archived.StatusCode);
        Assert.Equal("archived", archivedPage.QuerySelector("h1 + .badge")!.TextContent);
        Assert.Empty(archivedPage.QuerySelectorAll("form[class^=command-]"));
    }

    [Fact]
    public async Task TheConsoleWritesAJourneyAsJsonCheckedByTheApisReaderAndSavesALaunchedOnesChangeAsANewVersion()
    {
        string id = NewId("console-edit");
        using var session = await ConsoleSession.SignInAsync(server.BaseAddress, TestApps.Shop.AdminKey);
        var blank = await session.PageAsync("/console/journeys/edit");
        string example = blank.QuerySelector("textarea#f-definition")!.TextContent;
        var cycle = WithStep(Onboarding(), "offer", s => s["next"] = "day1").ToJsonString();
        var named = Onboarding().Also(j => j["name"] = "<img src=x onerror=alert(1)> Onboarding").ToJsonString();

        using var refused = await session.SubmitAsync("/console/journeys/edit", "form.card", [new("id", id), new("definition", cycle)]);
        string refusedHtml = await refused.Content.ReadAsStringAsync();
        using var notCreated = await server.AdminAsync(HttpMethod.Get, $"/v1/journeys/{id}");
        using var broken = await session.SubmitAsync("/console/journeys/edit", "form.card", [new("id", id), new("definition", "{\"name\": ")]);
        using var badId = await session.SubmitAsync("/console/journeys/edit", "form.card", [new("id", "<b>x</b>"), new("definition", named)]);
        using var huge = await session.SubmitAsync("/console/journeys/edit", "form.card", [new("id", id), new("definition", new string(' ', 70_000) + named)]);
        using var created = await session.SubmitAsync("/console/journeys/edit", "form.card", [new("id", id), new("definition", named)]);
        var details = await session.PageAsync($"/console/journeys/{id}");
        using var moveOnDraft = await session.SubmitAsync($"/console/journeys/edit/{id}", "form.card", [new("definition", Onboarding().Also(j => j["moveUsers"] = new JsonObject()).ToJsonString())]);
        await Send(HttpMethod.Post, $"/v1/journeys/{id}/launch", null, HttpStatusCode.OK);
        var editLaunched = await session.PageAsync($"/console/journeys/edit/{id}");
        using var saved = await session.SubmitAsync($"/console/journeys/edit/{id}", "form.card", [new("definition", WithStep(Onboarding(), "day1", s => s["duration"] = "2d").ToJsonString())]);
        var afterSave = await Send(HttpMethod.Get, $"/v1/journeys/{id}", null, HttpStatusCode.OK);

        Assert.Equal("Onboarding", (string?)JsonNode.Parse(example)!["name"]);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("is a cycle", refusedHtml, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, notCreated.StatusCode);
        Assert.Contains("definition: not JSON", await broken.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, badId.StatusCode);
        Assert.DoesNotContain("<b>x</b>", await badId.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("more than 64 KB", await huge.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        Assert.Equal("<img src=x onerror=alert(1)> Onboarding", details.QuerySelector("h1")!.TextContent);
        Assert.Empty(details.QuerySelectorAll("main img"));
        Assert.Contains("moveUsers", await moveOnDraft.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("saving makes version 2", editLaunched.QuerySelector("main")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal(("live", 2, "2d"), ((string?)afterSave["status"], (int)afterSave["version"]!, (string?)afterSave["definition"]!["steps"]![1]!["duration"]));
    }

    [Fact]
    public void TheCountsShowEachPathsConversionsBesideTheUsersWhoTookIt()
    {
        var definition = Orleans.Segments.Server.Apis.JourneyContract.Read("onboarding", JsonDocument.Parse(ApiDocs.JourneyExample).RootElement, []);
        var journey = new Orleans.Segments.Journeys.JourneyView(definition!, 1, Orleans.Segments.Journeys.JourneyStatus.Live, DateTime.UnixEpoch, DateTime.UnixEpoch);
        var counts = new Orleans.Segments.Domain.Campaigns.CampaignStats();
        void Add(string arm, Orleans.Segments.Domain.Campaigns.ReportKind kind, string? reason, int times)
        {
            for (int i = 0; i < times; i++) counts.Add(new(Orleans.Segments.Domain.Journeys.JourneyStatsKeys.StatsId("onboarding"), arm, kind, reason));
        }

        Add("1:*", Orleans.Segments.Domain.Campaigns.ReportKind.Entered, null, 10);
        Add("1:*", Orleans.Segments.Domain.Campaigns.ReportKind.Converted, null, 3);
        Add("1:viewed", Orleans.Segments.Domain.Campaigns.ReportKind.Reached, null, 10);
        Add("1:viewed", Orleans.Segments.Domain.Campaigns.ReportKind.Moved, "rules[0]", 4);
        Add("1:viewed", Orleans.Segments.Domain.Campaigns.ReportKind.Moved, "otherwise", 6);
        Add("1:viewed", Orleans.Segments.Domain.Campaigns.ReportKind.PathConverted, "rules[0]", 2);
        Add("1:viewed", Orleans.Segments.Domain.Campaigns.ReportKind.PathConverted, "otherwise", 1);

        var view = JourneyService.StatsView(journey, new Orleans.Segments.Journeys.JourneyStats(counts)).Versions.Single();
        var viewed = view.Steps.Single(s => s.Step == "viewed");

        Assert.Equal((10, 3, 0.3), (view.Entered, view.Converted, view.ConversionRate));
        Assert.Equal(new JourneyPathConversions(2, 0.5), viewed.Conversions["rules[0]"]);
        Assert.Equal(new JourneyPathConversions(1, 0.1667), viewed.Conversions["otherwise"]);
        Assert.Equal(0, viewed.Now);
    }

    [Fact]
    public async Task AWriteKeyCannotDefineJourneys()
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, $"/v1/journeys/{NewId("writekey")}") { Content = new StringContent(Onboarding().ToJsonString(), Encoding.UTF8, "application/json") };
        using var response = await server.Http.SendAsync(request.WithBearer(TestApps.Shop.WriteKey));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    /// <summary>A journey entered by the API: a message using the entering call's properties, a day's wait, the end.</summary>
    [Fact]
    public async Task TheConsoleSendsATestOfAMessageStepToAUser()
    {
        string id = NewId("ctest");
        string userId = await KnownUser();
        await Send(HttpMethod.Put, $"/v1/journeys/{id}", Renewal(id), HttpStatusCode.Created);
        using var session = await ConsoleSession.SignInAsync(server.BaseAddress, TestApps.Shop.AdminKey);
        string page = $"/console/journeys/{id}";

        using var sent = await session.SubmitAsync(page, "form.step-test", [new("step", "hello"), new("user", userId)]);
        using var unknown = await session.SubmitAsync(page, "form.step-test", [new("step", "hello"), new("user", TestApps.NewUserId())]);
        using var exitStep = await session.SubmitAsync(page, "form.step-test", [new("step", "end"), new("user", userId)]);
        var log = await Send(HttpMethod.Get, $"{Infrastructure.SegmentsApi.UserPath(userId)}/messages", null, HttpStatusCode.OK);

        Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, exitStep.StatusCode);
        var entry = Assert.Single(log["messages"]!.AsArray(), m => (string?)m!["campaignId"] == $"journey:{id}")!;
        Assert.True((bool)entry["test"]!);
    }

    private static string Renewal(string id) => $$$"""
        {"id": "{{{id}}}", "name": "Renewal reminder", "category": "transactional", "entry": {"type": "api"}, "start": "hello",
         "steps": [
           {"id": "hello", "type": "message", "message": {"title": "Your {{ journey.plan }} plan", "body": "renews on {{ journey.renews_on }}"}, "next": "wait"},
           {"id": "wait", "type": "wait", "duration": "1d", "next": "end"},
           {"id": "end", "type": "exit"}]}
        """;

    private async Task<string> KnownUser()
    {
        string userId = TestApps.NewUserId();
        await server.IngestAcceptedAsync("/v1/identify", $$$"""{"userId": "{{{userId}}}", "traits": {"first_name": "Ada"}}""");
        using var device = await server.AdminAsync(HttpMethod.Put, $"{Infrastructure.SegmentsApi.UserPath(userId)}/devices/{Tokens.Apns()}", """{"platform": "ios"}""");
        await device.ShouldHaveStatusAsync(HttpStatusCode.OK);
        return userId;
    }

    [Fact]
    public async Task ALaunchedJourneyTakesAUserInByTheApiAndShowsWhereTheyAreWhatTheyDidAndTheCounts()
    {
        string id = NewId("renewal");
        string userId = await KnownUser();
        await Send(HttpMethod.Put, $"/v1/journeys/{id}", Renewal(id), HttpStatusCode.Created);
        var launched = await Send(HttpMethod.Post, $"/v1/journeys/{id}/launch", null, HttpStatusCode.OK);
        string enter = $$$"""{"userId": "{{{userId}}}", "properties": {"plan": "Pro", "renews_on": "<b>1 May</b>"}}""";

        var entered = await Send(HttpMethod.Post, $"/v1/journeys/{id}/enter", enter, HttpStatusCode.OK);
        var again = await Send(HttpMethod.Post, $"/v1/journeys/{id}/enter", enter, HttpStatusCode.OK);
        var runs = await Send(HttpMethod.Get, $"{Infrastructure.SegmentsApi.UserPath(userId)}/journeys", null, HttpStatusCode.OK);
        var stats = await Send(HttpMethod.Get, $"/v1/journeys/{id}/stats", null, HttpStatusCode.OK);
        var messages = await Send(HttpMethod.Get, $"{Infrastructure.SegmentsApi.UserPath(userId)}/messages", null, HttpStatusCode.OK);

        Assert.Equal("live", (string?)launched["status"]);
        Assert.True((bool)entered["entered"]!);
        Assert.Equal((false, "already_in_journey"), ((bool)again["entered"]!, (string?)again["reason"]));
        var run = runs["journeys"]!.AsArray().Single()!;
        Assert.Equal((id, "active", "wait", 1), ((string?)run["journeyId"], (string?)run["status"], (string?)run["step"], (int)run["version"]!));
        Assert.NotNull((string?)run["waitUntil"]);
        Assert.Equal("<b>1 May</b>", (string?)run["properties"]!["renews_on"]);
        Assert.Equal(["message:hello", "moved:hello"], run["trail"]!.AsArray().Select(t => $"{(string?)t!["kind"]}:{(string?)t["step"]}"));
        var version = stats["versions"]!.AsArray().Single()!;
        Assert.Equal(1, (long)version["entered"]!);
        var steps = version["steps"]!.AsArray();
        Assert.Equal(["hello", "wait", "end"], steps.Select(s => (string?)s!["step"]));
        Assert.Equal((1, 0, 1), ((long)steps[0]!["reached"]!, (long)steps[0]!["now"]!, (long)steps[0]!["moved"]!["next"]!));
        Assert.Equal(1, (long)steps[0]!["messages"]!["targeted"]!);
        Assert.Equal((1, 1), ((long)steps[1]!["reached"]!, (long)steps[1]!["now"]!));
        Assert.Null(steps[1]!["messages"]);
        var message = messages["messages"]!.AsArray().Single(m => (string?)m!["campaignId"] == $"journey:{id}")!;
        Assert.Equal("delivered", (string?)message["status"]);
    }

    [Fact]
    public async Task AMessageStepsVariantsAreReadBackAndCountedPerVariant()
    {
        string id = NewId("renewal-ab");
        string userId = await KnownUser();
        var journey = JsonNode.Parse(Renewal(id))!.AsObject();
        WithStep(journey, "hello", s => s["variants"] = JsonNode.Parse("""
            [{"name": "plain", "percent": 50, "message": {"title": "Renewal", "body": "soon"}},
             {"name": "<b>bold</b>", "percent": 50, "message": {"title": "Renewal!", "body": "soon!"}}]
            """));
        var refused = WithStep(JsonNode.Parse(Renewal(id))!.AsObject(), "hello", s => s["variants"] = JsonNode.Parse("""[{"name": "a", "percent": 40, "message": {"title": "A", "body": "a"}}, {"name": "holdout", "percent": 60}]"""));
        using var bad = await server.AdminAsync(HttpMethod.Put, $"/v1/journeys/{id}", refused.ToJsonString());

        var created = await Send(HttpMethod.Put, $"/v1/journeys/{id}", journey.ToJsonString(), HttpStatusCode.Created);
        await Send(HttpMethod.Post, $"/v1/journeys/{id}/launch", null, HttpStatusCode.OK);
        await Send(HttpMethod.Post, $"/v1/journeys/{id}/enter", $$$"""{"userId": "{{{userId}}}"}""", HttpStatusCode.OK);
        await Send(HttpMethod.Get, $"{Infrastructure.SegmentsApi.UserPath(userId)}/messages", null, HttpStatusCode.OK);
        var stats = await Send(HttpMethod.Get, $"/v1/journeys/{id}/stats", null, HttpStatusCode.OK);

        var problems = (await bad.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).Errors;
        Assert.Contains(problems, e => e.StartsWith("steps[0].variants[1]: needs", StringComparison.Ordinal));
        Assert.Equal(["plain", "<b>bold</b>"], created["definition"]!["steps"]![0]!["variants"]!.AsArray().Select(v => (string?)v!["name"]));
        var hello = stats["versions"]![0]!["steps"]![0]!;
        Assert.Equal(1, (long)hello["messages"]!["targeted"]!);
        var variants = hello["variants"]!.AsObject();
        Assert.Equal(1, variants.Sum(v => (long)v.Value!["targeted"]!));
        Assert.Subset(new HashSet<string> { "plain", "<b>bold</b>" }, variants.Select(v => v.Key).ToHashSet());
    }

    [Fact]
    public async Task EnterCallsThatCannotBeTakenAreRefusedWithTheirReason()
    {
        string id = NewId("renewal");
        string userId = await KnownUser();
        await Send(HttpMethod.Put, $"/v1/journeys/{id}", Renewal(id), HttpStatusCode.Created);
        string enter = $$$"""{"userId": "{{{userId}}}"}""";

        using var draft = await server.AdminAsync(HttpMethod.Post, $"/v1/journeys/{id}/enter", enter);
        await Send(HttpMethod.Post, $"/v1/journeys/{id}/launch", null, HttpStatusCode.OK);
        using var unknownJourney = await server.AdminAsync(HttpMethod.Post, $"/v1/journeys/{NewId("nobody")}/enter", enter);
        using var unknownUser = await server.AdminAsync(HttpMethod.Post, $"/v1/journeys/{id}/enter", """{"userId": "never-seen-user"}""");
        using var noUser = await server.AdminAsync(HttpMethod.Post, $"/v1/journeys/{id}/enter", """{"properties": {"plan": "Pro"}}""");
        using var htmlName = await server.AdminAsync(HttpMethod.Post, $"/v1/journeys/{id}/enter", $$$"""{"userId": "{{{userId}}}", "properties": {"<script>": "x"}}""");
        var many = new JsonObject { ["userId"] = userId, ["properties"] = new JsonObject(Enumerable.Range(0, 51).Select(i => KeyValuePair.Create($"p{i}", (JsonNode?)"v"))) };
        using var tooMany = await server.AdminAsync(HttpMethod.Post, $"/v1/journeys/{id}/enter", many.ToJsonString());
        using var longValue = await server.AdminAsync(HttpMethod.Post, $"/v1/journeys/{id}/enter", $$$"""{"userId": "{{{userId}}}", "properties": {"plan": "{{{new string('x', 1001)}}}"}}""");
        using var numberValue = await server.AdminAsync(HttpMethod.Post, $"/v1/journeys/{id}/enter", $$$"""{"userId": "{{{userId}}}", "properties": {"plan": 3}}""");
        using var unknownField = await server.AdminAsync(HttpMethod.Post, $"/v1/journeys/{id}/enter", $$$"""{"userId": "{{{userId}}}", "when": "now"}""");
        using var broken = await server.AdminAsync(HttpMethod.Post, $"/v1/journeys/{id}/enter", """{"userId": """);
        using var huge = await server.AdminAsync(HttpMethod.Post, $"/v1/journeys/{id}/enter", $$$"""{"userId": "{{{userId}}}", "properties": {"plan": "{{{new string('x', 20_000)}}}"}}""");
        await Send(HttpMethod.Post, $"/v1/journeys/{id}/pause", null, HttpStatusCode.OK);
        using var paused = await server.AdminAsync(HttpMethod.Post, $"/v1/journeys/{id}/enter", enter);
        await Send(HttpMethod.Post, $"/v1/journeys/{id}/archive", null, HttpStatusCode.OK);
        using var archived = await server.AdminAsync(HttpMethod.Post, $"/v1/journeys/{id}/enter", enter);
        string eventEntered = NewId("onboarding");
        await Send(HttpMethod.Put, $"/v1/journeys/{eventEntered}", Onboarding().ToJsonString(), HttpStatusCode.Created);
        await Send(HttpMethod.Post, $"/v1/journeys/{eventEntered}/launch", null, HttpStatusCode.OK);
        using var notApi = await server.AdminAsync(HttpMethod.Post, $"/v1/journeys/{eventEntered}/enter", enter);
        await Send(HttpMethod.Post, $"/v1/journeys/{eventEntered}/archive", null, HttpStatusCode.OK);

        Assert.Contains("draft", (await draft.ShouldBeProblemAsync(HttpStatusCode.Conflict)).Reasons, StringComparison.Ordinal);
        await unknownJourney.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        Assert.Contains("never-seen-user", (await unknownUser.ShouldBeProblemAsync(HttpStatusCode.NotFound)).Reasons, StringComparison.Ordinal);
        Assert.Contains("userId: required", (await noUser.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).Reasons, StringComparison.Ordinal);
        var html = await htmlName.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("properties: a name is", html.Reasons, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html.Reasons, StringComparison.Ordinal);
        Assert.Contains("at most 50", (await tooMany.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).Reasons, StringComparison.Ordinal);
        Assert.Contains("properties.plan", (await longValue.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).Reasons, StringComparison.Ordinal);
        Assert.Contains("properties", (await numberValue.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).Reasons, StringComparison.Ordinal);
        Assert.Contains("when", (await unknownField.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).Reasons, StringComparison.Ordinal);
        await broken.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        await huge.ShouldBeProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("paused", (await paused.ShouldBeProblemAsync(HttpStatusCode.Conflict)).Reasons, StringComparison.Ordinal);
        Assert.Contains("archived", (await archived.ShouldBeProblemAsync(HttpStatusCode.Conflict)).Reasons, StringComparison.Ordinal);
        Assert.Contains("not 'api'", (await notApi.ShouldBeProblemAsync(HttpStatusCode.Conflict)).Reasons, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LaunchPauseResumeAndArchiveMoveTheStatusAndAChangeOfALaunchedJourneyIsANewVersion()
    {
        string id = NewId("onboarding");
        await Send(HttpMethod.Put, $"/v1/journeys/{id}", Onboarding().ToJsonString(), HttpStatusCode.Created);
        using var pauseDraft = await server.AdminAsync(HttpMethod.Post, $"/v1/journeys/{id}/pause");
        using var moveOnDraft = await server.AdminAsync(HttpMethod.Put, $"/v1/journeys/{id}", Onboarding().Also(j => j["moveUsers"] = new JsonObject { ["day1"] = "day1" }).ToJsonString());

        var live = await Send(HttpMethod.Post, $"/v1/journeys/{id}/launch", null, HttpStatusCode.OK);
        var paused = await Send(HttpMethod.Post, $"/v1/journeys/{id}/pause", """{"reason": "copy review"}""", HttpStatusCode.OK);
        var v2 = await Send(HttpMethod.Put, $"/v1/journeys/{id}", WithStep(Onboarding(), "day1", s => s["duration"] = "2d").Also(j => j["moveUsers"] = new JsonObject { ["day1"] = "day1" }).ToJsonString(), HttpStatusCode.OK);
        using var badMove = await server.AdminAsync(HttpMethod.Put, $"/v1/journeys/{id}", Onboarding().Also(j => j["moveUsers"] = new JsonObject { ["day1"] = "nowhere" }).ToJsonString());
        var resumed = await Send(HttpMethod.Post, $"/v1/journeys/{id}/resume", null, HttpStatusCode.OK);
        var list = await Send(HttpMethod.Get, "/v1/journeys", null, HttpStatusCode.OK);
        var archived = await Send(HttpMethod.Post, $"/v1/journeys/{id}/archive", null, HttpStatusCode.OK);
        using var resumeArchived = await server.AdminAsync(HttpMethod.Post, $"/v1/journeys/{id}/resume");
        using var launchArchived = await server.AdminAsync(HttpMethod.Post, $"/v1/journeys/{id}/launch");
        using var launchUnknown = await server.AdminAsync(HttpMethod.Post, $"/v1/journeys/{NewId("nobody")}/launch");
        var stats = await Send(HttpMethod.Get, $"/v1/journeys/{id}/stats", null, HttpStatusCode.OK);

        Assert.Contains("only a live journey can be paused", (await pauseDraft.ShouldBeProblemAsync(HttpStatusCode.Conflict)).Reasons, StringComparison.Ordinal);
        Assert.Contains("moveUsers", (await moveOnDraft.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).Reasons, StringComparison.Ordinal);
        Assert.Equal(("live", 1), ((string?)live["status"], (int)live["version"]!));
        Assert.Equal(("paused", "copy review"), ((string?)paused["status"], (string?)paused["statusReason"]));
        Assert.Equal(("paused", 2), ((string?)v2["status"], (int)v2["version"]!));
        Assert.Equal("day1", (string?)v2["definition"]!["moveUsers"]!["day1"]);
        Assert.Contains("moveUsers.day1: no step \"nowhere\"", (await badMove.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).Reasons, StringComparison.Ordinal);
        Assert.Equal(("live", null), ((string?)resumed["status"], (string?)resumed["statusReason"]));
        Assert.Equal(("live", 2), list["journeys"]!.AsArray().Where(j => (string?)j!["id"] == id).Select(j => ((string?)j!["status"], (int)j["version"]!)).Single());
        Assert.Equal("archived", (string?)archived["status"]);
        await resumeArchived.ShouldBeProblemAsync(HttpStatusCode.Conflict);
        await launchArchived.ShouldBeProblemAsync(HttpStatusCode.Conflict);
        await launchUnknown.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal([2], stats["versions"]!.AsArray().Select(v => (int)v!["version"]!));
    }
}

internal static class JsonObjectExtensions
{
    public static JsonObject Also(this JsonObject node, Action<JsonObject> change)
    {
        change(node);
        return node;
    }

}
