using System.Net;
using System.Text.Json.Nodes;
using Orleans.Segments.Server.Tests.Infrastructure;

namespace Orleans.Segments.Server.Tests;

/// <summary>Translations of campaign and journey messages over HTTP: stored canonical, chosen by the SDK's locale, counted per language, and refused when wrong.</summary>
[Collection(ServerCollection.Name)]
public sealed class LocalizedMessagesApiTests(ServerFixture server)
{
    private static string NewId(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}";

    private async Task<JsonNode> Send(HttpMethod method, string path, string? json, HttpStatusCode expected)
    {
        using var response = await server.AdminAsync(method, path, json);
        return JsonNode.Parse(await response.ShouldHaveStatusAsync(expected))!;
    }

    private static string Campaign(string eventName, string translations) => $$$"""
        {"category": "transactional", "trigger": {"type": "event", "event": "{{{eventName}}}"},
         "message": {"title": "Your order is on its way", "body": "Thanks {{ traits.first_name | default: \"there\" }}!", "translations": {{{translations}}}}}
        """;

    /// <summary>A user the way an app's Segment SDK makes them: a tracked event whose context carries the device's locale.</summary>
    private async Task<string> UserSpeaking(string? locale)
    {
        string userId = TestApps.NewUserId();
        string context = locale is null ? "" : $$$""", "context": {"locale": "{{{locale}}}", "os": {"name": "iOS", "version": "18.1"}, "device": {"type": "ios", "model": "iPhone16,1"}}""";
        await server.IngestAcceptedAsync("/v1/track", $$$"""{"userId": "{{{userId}}}", "event": "Application Opened"{{{context}}}}""");
        using var device = await server.AdminAsync(HttpMethod.Put, $"{SegmentsApi.UserPath(userId)}/devices/{Tokens.Apns()}", """{"platform": "ios"}""");
        await device.ShouldHaveStatusAsync(HttpStatusCode.OK);
        return userId;
    }

    [Fact]
    public async Task TagsAreStoredInTheirUsualCaseAndTheDefinitionRoundTrips()
    {
        string id = NewId("shipped");
        var created = await Send(HttpMethod.Put, $"/v1/campaigns/{id}",
            Campaign("Order Shipped", """{"de_at": {"title": "Unterwegs", "body": "Danke!"}, "PT-br": {"title": "A caminho", "subtitle": "Pedido", "body": "Obrigado!"}}"""),
            HttpStatusCode.Created);
        var translations = created["definition"]!["message"]!["translations"]!.AsObject();

        Assert.Equal(["de-AT", "pt-BR"], translations.Select(t => t.Key));
        Assert.Equal("Pedido", (string?)translations["pt-BR"]!["subtitle"]);
        var again = await Send(HttpMethod.Put, $"/v1/campaigns/{id}", created["definition"]!.ToJsonString(), HttpStatusCode.OK);
        Assert.Equal(created["definition"]!.ToJsonString(), again["definition"]!.ToJsonString());
    }

    [Fact]
    public async Task EachUserIsSentTheirLanguageAndTheStatisticsCountSendsAndOpensPerLanguage()
    {
        string id = NewId("shipped");
        string eventName = "Order Shipped " + id;
        await Send(HttpMethod.Put, $"/v1/campaigns/{id}", Campaign(eventName, """{"de": {"title": "Unterwegs", "body": "Danke {{ traits.first_name | default: \"dir\" }}!"}, "pt-BR": {"title": "A caminho", "body": "Obrigado!"}}"""), HttpStatusCode.Created);
        await Send(HttpMethod.Post, $"/v1/campaigns/{id}/launch", null, HttpStatusCode.OK);
        var users = new[] { await UserSpeaking("de-AT"), await UserSpeaking("de_DE"), await UserSpeaking("pt-PT"), await UserSpeaking("en-US"), await UserSpeaking(null) };

        foreach (string user in users) await server.IngestAcceptedAsync("/v1/track", $$$"""{"userId": "{{{user}}}", "event": "{{{eventName}}}"}""");
        var sent = new List<JsonNode>();
        foreach (string user in users)
        {
            var log = await Send(HttpMethod.Get, $"{SegmentsApi.UserPath(user)}/messages", null, HttpStatusCode.OK);
            sent.Add(log["messages"]!.AsArray().Single(m => (string?)m!["campaignId"] == id)!);
        }

        await server.IngestAcceptedAsync("/v1/track", $$$"""{"userId": "{{{users[0]}}}", "event": "Push Notification Tapped", "properties": {"notification_id": "{{{(string?)sent[0]["notificationId"]}}}"}}""");
        var stats = await Send(HttpMethod.Get, $"/v1/campaigns/{id}/stats", null, HttpStatusCode.OK);

        Assert.Equal(["de", "de", "pt-BR", null, null], sent.Select(m => (string?)m["language"]));
        Assert.All(sent, m => Assert.Equal("delivered", (string?)m["status"]));
        var byLanguage = stats["total"]!["byLanguage"]!;
        Assert.Equal(2, (long)byLanguage["de"]!["sent"]!);
        Assert.Equal(1, (long)byLanguage["de"]!["opened"]!);
        Assert.Equal(0.5, (double)byLanguage["de"]!["openRate"]!);
        Assert.Equal(1, (long)byLanguage["pt-BR"]!["sent"]!);
        Assert.Equal(2, (long)byLanguage["default"]!["sent"]!);
    }

    [Theory]
    [InlineData("""{"deutsch": {"title": "t", "body": "b"}}""", "message.translations.deutsch: not a language tag")]
    [InlineData("""{"<b>de</b>": {"title": "t", "body": "b"}}""", "message.translations.<b>de</b>: not a language tag")]
    [InlineData("""{"de": null}""", "message.translations.de: the translation's title, subtitle and body are missing.")]
    [InlineData("""{"de": {"title": "t", "body": "b"}, "DE": {"title": "t", "body": "b"}}""", "message.translations.DE: de is given twice")]
    [InlineData("""{"de": {"title": " ", "body": ""}}""", "message.translations.de: a translation needs a title or a body.")]
    [InlineData("""{"de": {"title": "t", "body": "{{ traits.x "}}""", "message.translations.de.body: ")]
    [InlineData("""{"de": {"title": "t", "body": "b", "image": "x"}}""", "message.translations.de.image")]
    [InlineData("""{"de": {"title": 5, "body": "b"}}""", "message.translations.de.title: must be a string.")]
    [InlineData("""["de"]""", "message.translations: must be an object.")]
    public async Task AWrongTranslationIsRefusedWithItsPath(string translations, string expected)
    {
        using var response = await server.AdminAsync(HttpMethod.Put, $"/v1/campaigns/{NewId("bad")}", Campaign("E", translations));
        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);

        Assert.True(problem.Errors.Any(e => e.StartsWith(expected, StringComparison.Ordinal)), $"'{expected}' is not among: {string.Join(" | ", problem.Errors)}");
    }

    [Fact]
    public async Task ATranslationWhosePushWouldPassFourKilobytesIsRefusedNamingTheLanguage()
    {
        // Why: 2,000 characters of 3 bytes each fit the field's limit but not APNs' 4 KB once encoded.
        string body = new('€', 2000);
        using var response = await server.AdminAsync(HttpMethod.Put, $"/v1/campaigns/{NewId("big")}", Campaign("E", $$$"""{"fr": {"title": "t", "body": "ok"}, "ja": {"title": "t", "body": "{{{body}}}"}}"""));
        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);

        var error = Assert.Single(problem.Errors);
        Assert.StartsWith("message.translations.ja: the payload is ", error);
        Assert.Contains("APNs allows 4096", error);
    }

    [Fact]
    public async Task MoreThanFiftyLanguagesAreRefused()
    {
        var translations = new JsonObject();
        for (int i = 0; i < 51; i++) translations[$"x{(char)('a' + i / 26)}{(char)('a' + i % 26)}"] = new JsonObject { ["title"] = "t", ["body"] = "b" };
        using var response = await server.AdminAsync(HttpMethod.Put, $"/v1/campaigns/{NewId("many")}", Campaign("E", translations.ToJsonString()));

        Assert.Contains("message.translations: at most 50 languages.", (await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).Errors);
    }

    [Fact]
    public async Task HtmlInATranslationIsKeptAsTextAndAJourneyStepTakesTranslationsToo()
    {
        string id = NewId("html");
        var created = await Send(HttpMethod.Put, $"/v1/campaigns/{id}", Campaign("E", """{"de": {"title": "<script>alert(1)</script>", "body": "<img src=x onerror=alert(1)>"}}"""), HttpStatusCode.Created);
        Assert.Equal("<script>alert(1)</script>", (string?)created["definition"]!["message"]!["translations"]!["de"]!["title"]);

        string journey = NewId("welcome");
        var defined = await Send(HttpMethod.Put, $"/v1/journeys/{journey}", """
            {"name": "Welcome", "entry": {"type": "event", "event": "Signed Up"}, "start": "hello",
             "steps": [{"id": "hello", "type": "message", "message": {"title": "Welcome", "body": "Glad you are here", "translations": {"de": {"title": "Willkommen", "body": "Schön, dass du da bist"}}}, "next": "done"},
                       {"id": "done", "type": "exit"}]}
            """, HttpStatusCode.Created);
        Assert.Equal("Willkommen", (string?)defined["definition"]!["steps"]![0]!["message"]!["translations"]!["de"]!["title"]);

        using var wrong = await server.AdminAsync(HttpMethod.Put, $"/v1/journeys/{NewId("bad")}", """
            {"name": "Welcome", "entry": {"type": "event", "event": "Signed Up"}, "start": "hello",
             "steps": [{"id": "hello", "type": "message", "message": {"title": "Welcome", "body": "x", "translations": {"german": {"title": "t", "body": "b"}}}, "next": "done"},
                       {"id": "done", "type": "exit"}]}
            """);
        Assert.Contains((await wrong.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).Errors, e => e.StartsWith("steps[0].message.translations.german: not a language tag", StringComparison.Ordinal));
    }
}
