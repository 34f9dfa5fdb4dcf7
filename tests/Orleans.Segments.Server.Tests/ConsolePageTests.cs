using System.Net;
using System.Text.Json.Nodes;
using Orleans.Segments.Campaigns;
using Orleans.Segments.Server.Tests.Infrastructure;
using static Orleans.Segments.Server.Tests.Infrastructure.SegmentRequests;

namespace Orleans.Segments.Server.Tests;

/// <summary>
/// Every console page and fragment over real HTTP: who may see it (a session of its app only), what it answers,
/// and that forms without the antiforgery token are refused.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class ConsolePageTests(ServerFixture server)
{
    /// <summary>A segment, a reachable user in it, a manual campaign to it and a geofence, all of the shop app.</summary>
    private async Task<(string Segment, string User, string Campaign, string Fence)> ShopDataAsync()
    {
        string cohort = NewCohort();
        string segment = NewId("cseg");
        await server.PutSegmentAsync(segment, InCohort(cohort));
        string user = TestApps.NewUserId();
        await server.IngestAcceptedAsync("/v1/identify", Identify(user, cohort, new JsonObject { ["first_name"] = "Ada" }).ToJsonString());
        using (var device = await server.AdminAsync(HttpMethod.Put, $"{SegmentsApi.UserPath(user)}/devices/{Tokens.Apns()}", """{"platform": "ios"}"""))
        {
            await device.ShouldHaveStatusAsync(HttpStatusCode.OK);
        }

        using (var consent = await server.AdminAsync(HttpMethod.Put, $"{SegmentsApi.UserPath(user)}/subscriptions", """{"marketing": true}"""))
        {
            await consent.ShouldHaveStatusAsync(HttpStatusCode.OK);
        }

        string campaign = NewId("ccamp");
        using (var put = await server.AdminAsync(HttpMethod.Put, $"/v1/campaigns/{campaign}", $$$"""
            {"name": "Console test", "audience": {"segment": "{{{segment}}}"}, "trigger": {"type": "manual"},
             "message": {"title": "Hi {{ traits.first_name }}", "body": "Body"}, "quietHours": {"enabled": false}}
            """))
        {
            await put.ShouldHaveStatusAsync(HttpStatusCode.Created);
        }

        string fence = NewId("cfence");
        using (var put = await server.AdminAsync(HttpMethod.Put, GeofencePath(fence), """{"name": "Office", "latitude": 52.52, "longitude": 13.41, "radiusMeters": 300}"""))
        {
            Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        }

        // Why: a fixed id (PUT replaces it, so runs never pile up webhooks) and disabled, so no event is ever posted to it.
        using (var put = await server.AdminAsync(HttpMethod.Put, $"/v1/webhooks/{ConsoleWebhook}", """{"url": "https://hooks.example.com/segments", "enabled": false, "description": "<b>warehouse</b>"}"""))
        {
            Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        }

        return (segment, user, campaign, fence);
    }

    private const string ConsoleWebhook = "console-pages";

    private static string[] Pages(string segment, string user, string campaign, string fence) =>
    [
        "/console",
        "/console?handler=live",
        "/console/segments",
        "/console/segments/edit",
        $"/console/segments/edit/{segment}",
        $"/console/segments/{segment}",
        "/console/users",
        $"/console/users/{user}",
        "/console/campaigns",
        "/console/campaigns/edit",
        $"/console/campaigns/edit/{campaign}",
        $"/console/campaigns/{campaign}",
        $"/console/campaigns/{campaign}?handler=report",
        $"/console/campaigns/{campaign}?confirm=send",
        $"/console/campaigns/{campaign}?confirm=cancel",
        "/console/geofences",
        "/console/geofences/edit",
        $"/console/geofences/edit/{fence}",
        "/console/settings",
        "/console/webhooks",
        "/console/webhooks/edit",
        $"/console/webhooks/edit/{ConsoleWebhook}",
        "/console/resume?key=nothing-kept",
    ];

    [Fact]
    public async Task EveryPageAndFragmentAnswersASignedInSessionAndSendsTheSecurityHeaders()
    {
        var (segment, user, campaign, fence) = await ShopDataAsync();
        using var session = await ConsoleSession.SignInAsync(server.BaseAddress, TestApps.Shop.AdminKey);

        foreach (string path in Pages(segment, user, campaign, fence))
        {
            using var response = await session.GetAsync(path);
            string html = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode}\n{ConsoleSession.Text(html)}");
            Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains("frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single());
            Assert.Contains("no-store", response.Headers.CacheControl!.ToString());
            Assert.DoesNotContain(TestApps.Shop.AdminKey, html);
        }

        var details = await session.PageAsync($"/console/campaigns/{campaign}");
        Assert.Equal("Console test", details.QuerySelector("h1")!.TextContent);
        string userText = ConsoleSession.Text(await session.PageAsync($"/console/users/{user}"));
        Assert.Matches($"in [^✔✘]*{segment} ✔", userText);
        var send = ConsoleSession.Text(await session.PageAsync($"/console/campaigns/{campaign}?confirm=send"));
        Assert.Contains("Send now?", send);
        Assert.Contains("1 users now", send);
    }

    [Fact]
    public async Task WithoutASessionPagesRedirectToSignInAndFragmentsSayWhereToGo()
    {
        var (segment, user, campaign, fence) = await ShopDataAsync();
        using var anonymous = new ConsoleSession(server.BaseAddress);

        foreach (string path in Pages(segment, user, campaign, fence).Where(p => !p.StartsWith("/console/resume", StringComparison.Ordinal)))
        {
            using var response = await anonymous.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"GET {path} without a session: {(int)response.StatusCode}");
            Assert.StartsWith("/console/login?returnUrl=", response.Headers.Location!.OriginalString);
        }

        using var fragment = await anonymous.GetAsync($"/console/campaigns/{campaign}?handler=report", htmx: true);
        Assert.Equal(HttpStatusCode.Unauthorized, fragment.StatusCode);
        Assert.StartsWith("/console/login?returnUrl=", fragment.Headers.GetValues("HX-Redirect").Single());
        using var login = await anonymous.GetAsync("/console/login");
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
    }

    [Fact]
    public async Task EveryFormPostedWithoutItsAntiforgeryTokenIsRefusedWith400AndChangesNothing()
    {
        var (segment, user, campaign, fence) = await ShopDataAsync();
        using var session = await ConsoleSession.SignInAsync(server.BaseAddress, TestApps.Shop.AdminKey);
        string[] posts =
        [
            "/console/login",
            "/console/signout",
            "/console/segments/edit",
            $"/console/segments/edit/{segment}",
            "/console/segments/edit?handler=check",
            "/console/segments/edit?handler=count",
            $"/console/segments/{segment}?handler=delete",
            $"/console/users/{user}?handler=consents",
            $"/console/users/{user}?handler=test",
            $"/console/users/{user}?handler=erase",
            "/console/campaigns/edit",
            $"/console/campaigns/edit/{campaign}",
            $"/console/campaigns/edit/{campaign}?handler=reach",
            $"/console/campaigns/edit/{campaign}?handler=preview",
            $"/console/campaigns/{campaign}?handler=command",
            $"/console/campaigns/{campaign}?handler=test",
            "/console/geofences/edit",
            $"/console/geofences/edit/{fence}",
            $"/console/geofences/edit/{fence}?handler=delete",
            "/console/webhooks/edit",
            $"/console/webhooks/edit/{ConsoleWebhook}",
            $"/console/webhooks/edit/{ConsoleWebhook}?handler=test",
            $"/console/webhooks/edit/{ConsoleWebhook}?handler=rotate",
            $"/console/webhooks/edit/{ConsoleWebhook}?handler=delete",
            $"/console/webhooks/edit/{ConsoleWebhook}?handler=redeliver",
        ];

        foreach (string path in posts)
        {
            using var response = await session.PostAsync(path, [new("confirm", "yes"), new("command", "cancel"), new("key", TestApps.Shop.AdminKey), new("rule", "stage = \"new\"")]);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"POST {path} without a token: {(int)response.StatusCode}");
        }

        using var forged = await session.PostAsync($"/console/segments/{segment}?handler=delete", [new("confirm", "yes"), new("__RequestVerificationToken", "forged")]);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(1, await server.SizeAsync(segment));
        using var stillDraft = await server.AdminAsync(HttpMethod.Get, $"/v1/campaigns/{campaign}");
        Assert.Equal("draft", (string?)JsonNode.Parse(await stillDraft.ShouldHaveStatusAsync(HttpStatusCode.OK))!["status"]);
    }

    [Fact]
    public async Task AnotherAppsSessionSeesNoneOfThisAppsSegmentsUsersCampaignsOrGeofences()
    {
        var (segment, user, campaign, fence) = await ShopDataAsync();
        using var other = await ConsoleSession.SignInAsync(server.BaseAddress, TestApps.Other.AdminKey);

        foreach (string list in new[] { "/console", "/console/segments", "/console/campaigns", "/console/geofences" })
        {
            string text = ConsoleSession.Text(await other.PageAsync(list));
            Assert.DoesNotContain(segment, text);
            Assert.DoesNotContain(campaign, text);
            Assert.DoesNotContain(fence, text);
        }

        foreach (string path in new[] { $"/console/segments/{segment}", $"/console/segments/edit/{segment}", $"/console/users/{user}", $"/console/campaigns/{campaign}", $"/console/campaigns/edit/{campaign}", $"/console/geofences/edit/{fence}" })
        {
            using var response = await other.GetAsync(path);
            string html = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"GET {path} as other: {(int)response.StatusCode}\n{ConsoleSession.Text(html)}");
            Assert.DoesNotContain(segment, html);
        }

        using var lookup = await other.GetAsync($"/console/users?id={user}");
        Assert.Equal(HttpStatusCode.NotFound, lookup.StatusCode);

        // A command on the shop's campaign from the other app's session reaches the other app's (missing) campaign.
        using var launch = await other.PostAsync($"/console/campaigns/{campaign}?handler=command", [new("__RequestVerificationToken", await other.TokenAsync("/console/campaigns")), new("command", "launch")]);
        Assert.Equal(HttpStatusCode.Redirect, launch.StatusCode);
        using var stillDraft = await server.AdminAsync(HttpMethod.Get, $"/v1/campaigns/{campaign}");
        Assert.Equal("draft", (string?)JsonNode.Parse(await stillDraft.ShouldHaveStatusAsync(HttpStatusCode.OK))!["status"]);
    }

    [Fact]
    public async Task SignInTellsWrongKeysFromWriteKeysAndTheSessionCookieIsStrictAndHoldsNoKey()
    {
        using var session = new ConsoleSession(server.BaseAddress);

        using var wrong = await session.SignInWithAsync("ak_not_a_key_of_any_app");
        string wrongText = ConsoleSession.Text(await wrong.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Contains("not the admin key of any app", wrongText);
        Assert.DoesNotContain("ak_not_a_key_of_any_app", await wrong.Content.ReadAsStringAsync());

        using var write = await session.SignInWithAsync(TestApps.Shop.WriteKey);
        Assert.Equal(HttpStatusCode.Unauthorized, write.StatusCode);
        Assert.Contains("That is a write key", ConsoleSession.Text(await write.Content.ReadAsStringAsync()));

        using var right = await session.SignInWithAsync(TestApps.Shop.AdminKey, returnUrl: "/console/settings");
        Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
        Assert.Equal("/console/settings", right.Headers.Location!.OriginalString);
        string cookie = right.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("segments-console=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/console", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(TestApps.Shop.AdminKey, cookie);
        Assert.True(session.Cookies.GetAllCookies().Any(c => c.Name == "segments-console"), string.Join("; ", session.Cookies.GetAllCookies().Select(c => $"{c.Name} {c.Path}")) + " / " + cookie);
        Assert.Contains("Settings of shop", ConsoleSession.Text(await session.PageAsync("/console/settings")));

        // Another app's key switches the session to that app.
        using var other = await session.SignInWithAsync(TestApps.Other.AdminKey);
        Assert.Equal(HttpStatusCode.Redirect, other.StatusCode);
        Assert.Contains("Settings of other", ConsoleSession.Text(await session.PageAsync("/console/settings")));

        // An outside return address is ignored (no open redirect).
        using var outside = await session.SignInWithAsync(TestApps.Other.AdminKey, returnUrl: "https://evil.example/");
        Assert.Equal("/console", outside.Headers.Location!.OriginalString);

        using var signOut = await session.SubmitAsync("/console", "form.session", []);
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        using var after = await session.GetAsync("/console");
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
    }

    [Fact]
    public async Task SegmentEditorChecksRulesInPlaceCountsThemAndSavesThem()
    {
        using var session = await ConsoleSession.SignInAsync(server.BaseAddress, TestApps.Shop.AdminKey);
        string token = await session.TokenAsync("/console/segments/edit");

        using var check = await session.PostAsync("/console/segments/edit?handler=check", [new("__RequestVerificationToken", token), new("rule", "stage = \"new\" and\ncount(\"Order Completed\", 30d) >")], htmx: true);
        string checkText = ConsoleSession.Text(await check.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, check.StatusCode);
        Assert.Contains("Line 2, column", checkText);

        string cohort = NewCohort();
        string user = TestApps.NewUserId();
        await server.IngestAcceptedAsync("/v1/identify", Identify(user, cohort).ToJsonString());
        using var count = await session.PostAsync("/console/segments/edit?handler=count", [new("__RequestVerificationToken", token), new("rule", InCohort(cohort))], htmx: true);
        string countText = ConsoleSession.Text(await count.Content.ReadAsStringAsync());
        Assert.Contains("1 of", countText);
        Assert.Contains("users match now", countText);
        Assert.Contains(user, countText);

        string id = NewId("cnew");
        using var invalid = await session.SubmitAsync("/console/segments/edit", "#segment-form", [new("id", id), new("rule", "stage = ")]);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, invalid.StatusCode);
        Assert.Contains("was not saved", ConsoleSession.Text(await invalid.Content.ReadAsStringAsync()));

        using var saved = await session.SubmitAsync("/console/segments/edit", "#segment-form", [new("id", id), new("name", "<b>Bold</b> & co"), new("rule", InCohort(cohort))]);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal($"/console/segments/{id}", saved.Headers.Location!.OriginalString);
        await server.BackfillAsync();
        using var detailsResponse = await session.GetAsync($"/console/segments/{id}");
        string detailsHtml = await detailsResponse.Content.ReadAsStringAsync();
        Assert.DoesNotContain("<b>Bold</b>", detailsHtml);
        var details = ConsoleSession.Parse(detailsHtml);
        Assert.Equal("<b>Bold</b> & co", details.QuerySelector("h1")!.TextContent);
        Assert.Contains(user, ConsoleSession.Text(details));
    }

    [Fact]
    public async Task SegmentDeletedInAnotherTabGivesAClearMessageNotAnError()
    {
        using var session = await ConsoleSession.SignInAsync(server.BaseAddress, TestApps.Shop.AdminKey);
        string id = NewId("cgone");
        await server.PutSegmentAsync(id, "stage = \"new\"");
        string editPage = $"/console/segments/edit/{id}";
        string token = await session.TokenAsync(editPage);
        using (var delete = await server.AdminAsync(HttpMethod.Delete, SegmentPath(id)))
        {
            Assert.True(delete.IsSuccessStatusCode);
        }

        using var save = await session.PostAsync(editPage, [new("__RequestVerificationToken", token), new("id", id), new("rule", "stage = \"active\"")]);
        Assert.Equal(HttpStatusCode.Conflict, save.StatusCode);
        Assert.Contains("was deleted meanwhile", ConsoleSession.Text(await save.Content.ReadAsStringAsync()));
        using var view = await session.GetAsync($"/console/segments/{id}");
        Assert.Equal(HttpStatusCode.Redirect, view.StatusCode);
        Assert.Equal("/console/segments", view.Headers.Location!.OriginalString);
        Assert.Contains($"There is no segment '{id}'", ConsoleSession.Text(await session.PageAsync("/console/segments")));
        using var deleteAgain = await session.PostAsync($"/console/segments/{id}?handler=delete", [new("__RequestVerificationToken", token), new("confirm", "yes")]);
        Assert.Equal(HttpStatusCode.Redirect, deleteAgain.StatusCode);
    }

    [Fact]
    public async Task SegmentInUseIsNotDeletedAndTheCampaignIsNamed()
    {
        var (segment, _, campaign, _) = await ShopDataAsync();
        using var session = await ConsoleSession.SignInAsync(server.BaseAddress, TestApps.Shop.AdminKey);

        using var unconfirmed = await session.SubmitAsync($"/console/segments/{segment}", "form[action*=delete]", []);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, unconfirmed.StatusCode);
        using var refused = await session.SubmitAsync($"/console/segments/{segment}", "form[action*=delete]", [new("confirm", "yes")]);
        string text = ConsoleSession.Text(await refused.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("in use", text);
        Assert.Contains(campaign, text);
        Assert.Equal(1, await server.SizeAsync(segment));
    }

    [Fact]
    public async Task UserPageShowsTraitsAsTextAndItsActionsChangeConsentAndErase()
    {
        string user = TestApps.NewUserId();
        await server.IngestAcceptedAsync("/v1/identify", $$$"""{"userId": "{{{user}}}", "traits": {"nickname": "<script>alert(1)</script>", "first_name": "<img src=x onerror=alert(2)>"}}""");
        using var session = await ConsoleSession.SignInAsync(server.BaseAddress, TestApps.Shop.AdminKey);

        using var raw = await session.GetAsync($"/console/users/{user}");
        string html = await raw.Content.ReadAsStringAsync();
        Assert.DoesNotContain("<script>alert(1)</script>", html);
        Assert.DoesNotContain("<img src=x", html);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html);
        var page = ConsoleSession.Parse(html);
        Assert.Empty(page.QuerySelectorAll("main script, main img"));

        using var lookup = await session.GetAsync($"/console/users?id={Uri.EscapeDataString(user)}");
        Assert.Equal(HttpStatusCode.Redirect, lookup.StatusCode);
        using var missing = await session.GetAsync("/console/users?id=nobody-" + Guid.NewGuid().ToString("N"));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);

        using var consents = await session.SubmitAsync($"/console/users/{user}", "form[action*=consents]", [new("marketing", "true")]);
        Assert.Equal(HttpStatusCode.Redirect, consents.StatusCode);
        Assert.True((bool)(await server.GetUserAsync(user))["subscriptions"]!["marketing"]!);

        using var test = await session.SubmitAsync($"/console/users/{user}", "form[action*=test]", []);
        Assert.Equal(HttpStatusCode.Redirect, test.StatusCode);
        string log = ConsoleSession.Text(await session.PageAsync($"/console/users/{user}"));
        Assert.Contains("no live push token", log);

        using var unconfirmed = await session.SubmitAsync($"/console/users/{user}", "form[action*=erase]", []);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, unconfirmed.StatusCode);
        using var erase = await session.SubmitAsync($"/console/users/{user}", "form[action*=erase]", [new("confirm", "yes")]);
        Assert.Equal(HttpStatusCode.Redirect, erase.StatusCode);
        using var gone = await session.GetAsync($"/console/users/{user}");
        Assert.Equal(HttpStatusCode.Redirect, gone.StatusCode);
    }

    [Fact]
    public async Task ComposerSavesAWholeDefinitionAndShowsErrorsAtTheirFields()
    {
        var (segment, user, _, _) = await ShopDataAsync();
        using var session = await ConsoleSession.SignInAsync(server.BaseAddress, TestApps.Shop.AdminKey);
        string id = NewId("ccomp");

        using var invalid = await session.SubmitAsync("/console/campaigns/edit", "#campaign-form",
        [
            new("id", id), new("name", "Composer"), new("trigger.type", "schedule"), new("trigger.cron", "not a cron"),
            new("audience.kind", "segment"), new("audience.segment", segment),
            new("message.title", "Hi {{ traits.first_name "), new("message.body", "Body"),
            new("variants[0].name", "a"), new("variants[0].percent", "fifty"), new("variants[0].message.title", "A"),
            new("cap.limit", "0"), new("timeToLive", "forever"),
        ]);
        string html = await invalid.Content.ReadAsStringAsync();
        var page = ConsoleSession.Parse(html);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, invalid.StatusCode);
        Assert.NotNull(page.QuerySelector("#errors"));
        Assert.Contains("timeToLive", page.QuerySelector("#f-timeToLive-error")?.TextContent ?? ConsoleSession.Text(page));
        Assert.NotNull(page.QuerySelector("#f-variants-0-percent-error"));
        Assert.Equal("Hi {{ traits.first_name ", page.QuerySelector("#f-message-title")!.GetAttribute("value"));
        using var notSaved = await server.AdminAsync(HttpMethod.Get, $"/v1/campaigns/{id}");
        Assert.Equal(HttpStatusCode.NotFound, notSaved.StatusCode);

        using var saved = await session.SubmitAsync("/console/campaigns/edit", "#campaign-form",
        [
            new("id", id), new("name", "Composer <i>test</i>"), new("category", "marketing"), new("priority", "high"),
            new("trigger.type", "event"), new("trigger.event", "Cart Abandoned"), new("trigger.delay", "30m"), new("trigger.cooldown", "7d"),
            new("audience.kind", "segment"), new("audience.segment", segment),
            new("message.title", "Hi {{ traits.first_name }}"), new("message.body", "You left something"), new("message.deepLink", "shop://cart"),
            new("message.data", "source=console\nkind = cart"),
            new("variants[0].name", "a"), new("variants[0].percent", "50"), new("variants[0].message.title", "A {{ traits.first_name }}"), new("variants[0].message.body", "a"),
            new("variants[1].name", "b"), new("variants[1].percent", "50"), new("variants[1].message.title", "B"), new("variants[1].message.body", "b"),
            new("holdoutPercent", "10"), new("cap.limit", "2"), new("cap.window", "7d"),
            new("quietHours.mode", "custom"), new("quietHours.start", "21:00"), new("quietHours.end", "09:00"), new("quietHoursPolicy", "drop"),
            new("timeToLive", "12h"), new("throttlePerMinute", "1000"), new("conversion.event", "Order Completed"), new("conversion.window", "2d"),
            new("optOutGuard.threshold", "0.1"), new("optOutGuard.minimumSample", "50"), new("startAt", "2026-03-01T12:00"), new("endAt", "2026-04-01T00:00"),
        ]);
        Assert.True(saved.StatusCode == HttpStatusCode.Redirect, ConsoleSession.Text(await saved.Content.ReadAsStringAsync()));

        using var get = await server.AdminAsync(HttpMethod.Get, $"/v1/campaigns/{id}");
        var d = JsonNode.Parse(await get.ShouldHaveStatusAsync(HttpStatusCode.OK))!["definition"]!;
        Assert.Equal("Composer <i>test</i>", (string?)d["name"]);
        Assert.Equal("high", (string?)d["priority"]);
        Assert.Equal("Cart Abandoned", (string?)d["trigger"]!["event"]);
        Assert.Equal("30m", (string?)d["trigger"]!["delay"]);
        Assert.Equal("1w", (string?)d["trigger"]!["cooldown"]);
        Assert.Equal("cart", (string?)d["message"]!["data"]!["kind"]);
        Assert.Equal(2, d["variants"]!.AsArray().Count);
        Assert.Equal(10, (double)d["holdoutPercent"]!);
        Assert.Equal("21:00", (string?)d["quietHours"]!["start"]);
        Assert.Equal("drop", (string?)d["quietHoursPolicy"]);
        Assert.Equal("12h", (string?)d["timeToLive"]);
        Assert.Equal(1000, (int)d["throttlePerMinute"]!);
        Assert.Equal("2d", (string?)d["conversion"]!["window"]);
        Assert.Equal(0.1, (double)d["optOutGuard"]!["threshold"]!);
        Assert.StartsWith("2026-03-01T12:00:00", (string?)d["startAt"]);

        // The form opens again with what was saved, and saving it unchanged keeps the definition.
        var edit = await session.PageAsync($"/console/campaigns/edit/{id}");
        Assert.Equal("Cart Abandoned", edit.QuerySelector("#f-trigger-event")!.GetAttribute("value"));
        Assert.Equal("2026-03-01T12:00", edit.QuerySelector("#f-startAt")!.GetAttribute("value"));
        Assert.Equal(user, edit.QuerySelector("#preview-user")!.GetAttribute("value"));
        using var again = await session.SubmitAsync($"/console/campaigns/edit/{id}", "#campaign-form", []);
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        using var get2 = await server.AdminAsync(HttpMethod.Get, $"/v1/campaigns/{id}");
        Assert.Equal(d.ToJsonString(), JsonNode.Parse(await get2.ShouldHaveStatusAsync(HttpStatusCode.OK))!["definition"]!.ToJsonString());
    }

    [Fact]
    public async Task ComposerEditsTranslationsAsRowsPreviewsEachLanguageAndNamesTheRowOfAProblem()
    {
        var (segment, user, _, _) = await ShopDataAsync();
        await server.IngestAcceptedAsync("/v1/identify", $$$"""{"userId": "{{{user}}}", "traits": {"locale": "de-AT"}}""");
        using var session = await ConsoleSession.SignInAsync(server.BaseAddress, TestApps.Shop.AdminKey);
        string id = NewId("clocal");
        KeyValuePair<string, string>[] common =
        [
            new("id", id), new("name", "Localized"), new("trigger.type", "manual"), new("audience.kind", "segment"), new("audience.segment", segment),
            new("message.title", "Hi {{ traits.first_name }}"), new("message.body", "Body"),
        ];

        using var invalid = await session.SubmitAsync("/console/campaigns/edit", "#campaign-form",
        [
            .. common,
            new("message.translations[0].locale", "de"), new("message.translations[0].title", "Hallo"), new("message.translations[0].body", "Text"),
            new("message.translations[1].locale", "de"), new("message.translations[1].title", "Noch mal"),
            new("message.translations[2].locale", ""), new("message.translations[2].body", "Ohne Sprache"),
        ]);
        var errors = ConsoleSession.Parse(await invalid.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, invalid.StatusCode);
        Assert.Contains("de has two rows", errors.QuerySelector("#f-message-translations-1-locale-error")?.TextContent);
        Assert.Contains("write the language tag", errors.QuerySelector("#f-message-translations-2-locale-error")?.TextContent);
        Assert.Equal("Ohne Sprache", errors.QuerySelector("#f-message-translations-2-body")?.TextContent);

        using var badTag = await session.SubmitAsync("/console/campaigns/edit", "#campaign-form",
            [.. common, new("message.translations[0].locale", "german"), new("message.translations[0].title", "Hallo"), new("message.translations[0].body", "{{ x ")]);
        var tagErrors = ConsoleSession.Parse(await badTag.Content.ReadAsStringAsync());
        Assert.Contains("not a language tag", tagErrors.QuerySelector("#f-message-translations-0-locale-error")?.TextContent);

        using var saved = await session.SubmitAsync("/console/campaigns/edit", "#campaign-form",
        [
            .. common,
            new("message.translations[0].locale", "de_at"), new("message.translations[0].title", "Servus {{ traits.first_name }}"), new("message.translations[0].body", "Text <b>fett</b>"),
            new("message.translations[1].locale", "pt-BR"), new("message.translations[1].title", "Olá"), new("message.translations[1].subtitle", "Oferta"), new("message.translations[1].body", "Corpo"),
        ]);
        Assert.True(saved.StatusCode == HttpStatusCode.Redirect, ConsoleSession.Text(await saved.Content.ReadAsStringAsync()));
        using var get = await server.AdminAsync(HttpMethod.Get, $"/v1/campaigns/{id}");
        var d = JsonNode.Parse(await get.ShouldHaveStatusAsync(HttpStatusCode.OK))!["definition"]!;
        Assert.Equal("Servus {{ traits.first_name }}", (string?)d["message"]!["translations"]!["de-AT"]!["title"]);
        Assert.Equal("Oferta", (string?)d["message"]!["translations"]!["pt-BR"]!["subtitle"]);

        // The form opens with a row per translation and an empty one to add another; saving it unchanged keeps them.
        string page = $"/console/campaigns/edit/{id}";
        var edit = await session.PageAsync(page);
        Assert.Equal("de-AT", edit.QuerySelector("#f-message-translations-0-locale")!.GetAttribute("value"));
        Assert.Equal("pt-BR", edit.QuerySelector("#f-message-translations-1-locale")!.GetAttribute("value"));
        Assert.Equal("", edit.QuerySelector("#f-message-translations-2-locale")!.GetAttribute("value") ?? "");
        Assert.Null(edit.QuerySelector("#f-message-translations-3-locale"));
        using var again = await session.SubmitAsync(page, "#campaign-form", []);
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        using var get2 = await server.AdminAsync(HttpMethod.Get, $"/v1/campaigns/{id}");
        Assert.Equal(d.ToJsonString(), JsonNode.Parse(await get2.ShouldHaveStatusAsync(HttpStatusCode.OK))!["definition"]!.ToJsonString());

        // The preview renders the user's language and every other one for the same user.
        string token = await session.TokenAsync(page);
        using var preview = await session.PostAsync($"{page}?handler=preview",
        [
            new("__RequestVerificationToken", token), new("preview.user", user), new("message.title", "Hi {{ traits.first_name }}"), new("message.body", "Body"),
            new("message.translations[0].locale", "de-AT"), new("message.translations[0].title", "Servus {{ traits.first_name }}"), new("message.translations[0].body", "Text <b>fett</b>"),
            new("message.translations[1].locale", "pt-BR"), new("message.translations[1].title", "Olá {{ traits.first_name }}"), new("message.translations[1].body", "Corpo"),
        ], htmx: true);
        string html = await preview.Content.ReadAsStringAsync();
        var fragment = ConsoleSession.Parse(html);
        Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
        Assert.Equal("Servus Ada", fragment.QuerySelector(".push-title")?.TextContent);
        Assert.Contains("in the de-AT translation", ConsoleSession.Text(html));
        var rows = fragment.QuerySelectorAll("table.languages tbody tr").Select(r => ConsoleSession.Text(r.InnerHtml)).ToList();
        Assert.Equal(3, rows.Count);
        Assert.Contains("default", rows[0]);
        Assert.Contains("Hi Ada", rows[0]);
        Assert.Contains("de-AT (this user's)", rows[1]);
        Assert.Contains("Olá Ada", rows[2]);
        Assert.DoesNotContain("<b>fett</b>", html);
    }

    [Fact]
    public async Task ComposerSavesRichFieldsAndButtonRowsAndASilentCampaignAndNamesWhatIsWrong()
    {
        var (segment, _, _, _) = await ShopDataAsync();
        using var session = await ConsoleSession.SignInAsync(server.BaseAddress, TestApps.Shop.AdminKey);
        string id = NewId("crich");
        KeyValuePair<string, string>[] common = [new("id", id), new("name", "Rich"), new("trigger.type", "manual"), new("audience.kind", "segment"), new("audience.segment", segment)];

        using var invalid = await session.SubmitAsync("/console/campaigns/edit", "#campaign-form",
        [
            .. common, new("message.title", "Sale"), new("message.badge", "many"), new("message.buttons[1].id", "b"), new("message.buttons[1].title", ""),
        ]);
        var errors = ConsoleSession.Parse(await invalid.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, invalid.StatusCode);
        Assert.Contains("integer", errors.QuerySelector("#f-message-badge-error")?.TextContent);
        Assert.Contains("required", errors.QuerySelector("#f-message-buttons-1-title-error")?.TextContent);
        Assert.NotNull(errors.QuerySelector("details.rich[open]"));
        using var badImage = await session.SubmitAsync("/console/campaigns/edit", "#campaign-form", [.. common, new("message.title", "Sale"), new("message.image", "http://cdn.example.com/a.jpg")]);
        Assert.Contains("https", ConsoleSession.Parse(await badImage.Content.ReadAsStringAsync()).QuerySelector("#f-message-image-error")?.TextContent);

        using var saved = await session.SubmitAsync("/console/campaigns/edit", "#campaign-form",
        [
            .. common, new("message.title", "Sale"), new("message.image", "https://cdn.example.com/a.jpg"), new("message.badge", "2"),
            new("message.actionCategory", "SALE"), new("message.threadId", "sales"), new("message.channelId", "promos"),
            new("message.buttons[0].id", "buy"), new("message.buttons[0].title", "Buy <i>now</i>"), new("message.buttons[0].deepLink", "shop://buy"),
            new("message.buttons[2].id", "later"), new("message.buttons[2].title", "Later"),
        ]);
        Assert.True(saved.StatusCode == HttpStatusCode.Redirect, ConsoleSession.Text(await saved.Content.ReadAsStringAsync()));
        using var get = await server.AdminAsync(HttpMethod.Get, $"/v1/campaigns/{id}");
        var m = JsonNode.Parse(await get.ShouldHaveStatusAsync(HttpStatusCode.OK))!["definition"]!["message"]!;
        Assert.Equal(2, (int)m["badge"]!);
        Assert.Equal(["buy", "later"], m["buttons"]!.AsArray().Select(b => (string?)b!["id"]));
        Assert.Equal("Buy <i>now</i>", (string?)m["buttons"]![0]!["title"]);
        var edit = await session.PageAsync($"/console/campaigns/edit/{id}");
        Assert.Equal("later", edit.QuerySelector("#f-message-buttons-1-id")!.GetAttribute("value"));
        Assert.Equal("https://cdn.example.com/a.jpg", edit.QuerySelector("#f-message-image")!.GetAttribute("value"));

        string silent = NewId("csilent");
        using var visible = await session.SubmitAsync("/console/campaigns/edit", "#campaign-form",
            [new("id", silent), new("name", "Sync"), new("category", "silent"), new("trigger.type", "event"), new("trigger.event", "Catalog Updated"), new("message.title", "Hi")]);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, visible.StatusCode);
        Assert.Contains("a silent push shows nothing", ConsoleSession.Text(await visible.Content.ReadAsStringAsync()));
        using var data = await session.SubmitAsync("/console/campaigns/edit", "#campaign-form",
            [new("id", silent), new("name", "Sync"), new("category", "silent"), new("trigger.type", "event"), new("trigger.event", "Catalog Updated"), new("message.data", "sync=catalog")]);
        Assert.Equal(HttpStatusCode.Redirect, data.StatusCode);
        var details = ConsoleSession.Text(await (await session.GetAsync($"/console/campaigns/{silent}")).Content.ReadAsStringAsync());
        Assert.Contains("silent", details);
    }

    [Fact]
    public async Task ComposerFragmentsGiveTheReachAndARenderedPreviewWithTheProviderPayloads()
    {
        var (segment, user, campaign, _) = await ShopDataAsync();
        using var session = await ConsoleSession.SignInAsync(server.BaseAddress, TestApps.Shop.AdminKey);
        string page = $"/console/campaigns/edit/{campaign}";
        string token = await session.TokenAsync(page);

        using var reach = await session.PostAsync($"{page}?handler=reach", [new("__RequestVerificationToken", token), new("audience.kind", "segment"), new("audience.segment", segment)], htmx: true);
        Assert.Contains("Reach now: 1 users", ConsoleSession.Text(await reach.Content.ReadAsStringAsync()));
        using var ruleReach = await session.PostAsync($"{page}?handler=reach", [new("__RequestVerificationToken", token), new("audience.kind", "rule"), new("audience.rule", "stage = ")], htmx: true);
        Assert.Contains("not valid yet", ConsoleSession.Text(await ruleReach.Content.ReadAsStringAsync()));

        using var preview = await session.PostAsync($"{page}?handler=preview",
        [
            new("__RequestVerificationToken", token), new("preview.user", user), new("message.title", "Hi {{ traits.first_name }} <b>"), new("message.body", "Body"),
            new("message.data", "sale=spring"), new("priority", "high"), new("timeToLive", "2h"),
        ], htmx: true);
        string html = await preview.Content.ReadAsStringAsync();
        string text = ConsoleSession.Text(html);
        Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
        Assert.Contains("Hi Ada <b>", text);
        Assert.DoesNotContain("Ada <b>", html);
        Assert.Contains("apns-push-type: alert", text);
        Assert.Contains("apns-priority: 10", text);
        Assert.Contains("\"sale\": \"spring\"", text);
        Assert.Contains("\"message\"", text);

        using var broken = await session.PostAsync($"{page}?handler=preview", [new("__RequestVerificationToken", token), new("preview.user", user), new("message.title", "{% for x in (1..100000000) %}x{% endfor %}")], htmx: true);
        Assert.Equal(HttpStatusCode.OK, broken.StatusCode);
        Assert.Contains("message.title", ConsoleSession.Text(await broken.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task CampaignCommandsNeedConfirmationForSendAndCancelAndTheReportCountsTheSends()
    {
        var (_, user, campaign, _) = await ShopDataAsync();
        using var session = await ConsoleSession.SignInAsync(server.BaseAddress, TestApps.Shop.AdminKey);
        string page = $"/console/campaigns/{campaign}";

        using var launch = await session.SubmitAsync(page, "form.command-launch", []);
        Assert.Equal(HttpStatusCode.Redirect, launch.StatusCode);
        using var unconfirmed = await session.SubmitAsync(page, "form.command-pause", [new("command", "send")]);
        Assert.Equal(HttpStatusCode.BadRequest, unconfirmed.StatusCode);
        Assert.Contains("Send now?", ConsoleSession.Text(await unconfirmed.Content.ReadAsStringAsync()));

        using var send = await session.SubmitAsync($"{page}?confirm=send", "#confirm form", []);
        Assert.Equal(HttpStatusCode.Redirect, send.StatusCode);
        await server.Grains.GetGrain<ICampaignGrain>($"shop/{campaign}").Tick();
        var report = ConsoleSession.Parse(await (await session.GetAsync($"{page}?handler=report", htmx: true)).Content.ReadAsStringAsync());
        Assert.StartsWith("1", report.QuerySelector("[data-step=targeted]")!.TextContent.Trim());
        Assert.StartsWith("1", report.QuerySelector("[data-step=delivered]")!.TextContent.Trim());
        Assert.Contains("manual-1", ConsoleSession.Text(report));

        using var again = await session.SubmitAsync($"{page}?confirm=send", "#confirm form", []);
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        using var cancel = await session.SubmitAsync($"{page}?confirm=cancel", "#confirm form", []);
        Assert.Equal(HttpStatusCode.Redirect, cancel.StatusCode);
        using var relaunch = await session.PostAsync($"{page}?handler=command", [new("__RequestVerificationToken", await session.TokenAsync(page)), new("command", "launch")]);
        Assert.Equal(HttpStatusCode.Conflict, relaunch.StatusCode);
        Assert.Contains("cannot be launched again", ConsoleSession.Text(await relaunch.Content.ReadAsStringAsync()));

        using var test = await session.SubmitAsync(page, "form[action*=test]", [new("user", user)]);
        Assert.Equal(HttpStatusCode.Redirect, test.StatusCode);
        Assert.Contains("Test push to", ConsoleSession.Text(await session.PageAsync(page)));
        using var noUser = await session.SubmitAsync(page, "form[action*=test]", [new("user", "nobody-" + Guid.NewGuid().ToString("N"))]);
        Assert.Equal(HttpStatusCode.NotFound, noUser.StatusCode);
    }

    [Fact]
    public async Task GeofencesAreCreatedAsCirclesAndPolygonsPlottedAndBadShapesAreExplained()
    {
        using var session = await ConsoleSession.SignInAsync(server.BaseAddress, TestApps.Shop.AdminKey);
        string circle = NewId("gcirc"), polygon = NewId("gpoly");

        using var badNumber = await session.SubmitAsync("/console/geofences/edit", "form.geofence-form", [new("id", circle), new("shape", "circle"), new("latitude", "north"), new("longitude", "13.4"), new("radius", "300")]);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, badNumber.StatusCode);
        Assert.Contains("latitude must be a number", ConsoleSession.Text(await badNumber.Content.ReadAsStringAsync()));
        using var tooFar = await session.SubmitAsync("/console/geofences/edit", "form.geofence-form", [new("id", circle), new("shape", "circle"), new("latitude", "95"), new("longitude", "13.4"), new("radius", "300")]);
        Assert.Contains("latitude must be within", ConsoleSession.Text(await tooFar.Content.ReadAsStringAsync()));
        using var badLine = await session.SubmitAsync("/console/geofences/edit", "form.geofence-form", [new("id", polygon), new("shape", "polygon"), new("polygon", "52.5, 13.4\n52.6; 13.5")]);
        Assert.Contains("Line 2 of the polygon", ConsoleSession.Text(await badLine.Content.ReadAsStringAsync()));

        using var c = await session.SubmitAsync("/console/geofences/edit", "form.geofence-form", [new("id", circle), new("name", "<svg onload=alert(1)>"), new("shape", "circle"), new("latitude", "52.52"), new("longitude", "13.41"), new("radius", "250")]);
        Assert.Equal(HttpStatusCode.Redirect, c.StatusCode);
        using var p = await session.SubmitAsync("/console/geofences/edit", "form.geofence-form", [new("id", polygon), new("shape", "polygon"), new("polygon", "52.50, 13.40\n52.51, 13.40\n52.51, 13.42")]);
        Assert.Equal(HttpStatusCode.Redirect, p.StatusCode);

        using var listResponse = await session.GetAsync("/console/geofences");
        string html = await listResponse.Content.ReadAsStringAsync();
        Assert.DoesNotContain("<svg onload", html);
        var list = ConsoleSession.Parse(html);
        Assert.NotNull(list.QuerySelector($"svg.map circle"));
        Assert.NotNull(list.QuerySelector($"svg.map polygon"));
        Assert.Contains("polygon of 3 vertices", ConsoleSession.Text(list));

        var edit = await session.PageAsync($"/console/geofences/edit/{polygon}");
        Assert.Contains("52.51, 13.42", edit.QuerySelector("#polygon")!.TextContent);
        using var delete = await session.SubmitAsync($"/console/geofences/edit/{polygon}", "form[action*=delete]", [new("confirm", "yes")]);
        Assert.Equal(HttpStatusCode.Redirect, delete.StatusCode);
        using var gone = await session.GetAsync($"/console/geofences/edit/{polygon}");
        Assert.Equal(HttpStatusCode.Redirect, gone.StatusCode);
    }

    [Fact]
    public async Task HostileAndOversizedFormInputGetsA4xxOrIsStoredAsTextNeverA500()
    {
        using var session = await ConsoleSession.SignInAsync(server.BaseAddress, TestApps.Shop.AdminKey);
        string token = await session.TokenAsync("/console/campaigns/edit");
        string huge = new('x', 300_000);
        var attempts = new List<(string Path, KeyValuePair<string, string>[] Fields)>
        {
            ("/console/campaigns/edit", [new("id", NewId("chuge")), new("name", huge), new("trigger.type", "manual"), new("message.title", "t")]),
            ("/console/campaigns/edit", [new("id", "<script>"), new("trigger.type", "manual"), new("message.title", "t")]),
            ("/console/campaigns/edit", [new("id", NewId("cdata")), new("trigger.type", "event"), new("trigger.event", "E"), new("message.title", "t"), new("message.data", string.Join('\n', Enumerable.Range(0, 5000).Select(i => $"k{i}=v")))]),
            ("/console/campaigns/edit", [new("id", NewId("cvar")), new("trigger.type", "event"), new("trigger.event", "E"), new("message.title", "t"), new("variants[99].name", "x"), new("variants[0].percent", "1e400")]),
            ("/console/campaigns/edit?handler=preview", [new("preview.user", "\u0001"), new("message.title", "t")]),
            ("/console/campaigns/edit?handler=reach", [new("audience.kind", "rule"), new("audience.rule", huge)]),
            ("/console/segments/edit", [new("id", NewId("cseg")), new("rule", huge)]),
            ("/console/segments/edit?handler=check", [new("rule", string.Concat(Enumerable.Repeat("(", 5000)))]),
            ("/console/geofences/edit", [new("id", NewId("gbig")), new("shape", "polygon"), new("polygon", string.Join('\n', Enumerable.Range(0, 2000).Select(i => $"52.{i:D4}, 13.4")))]),
            ("/console/login", [new("key", huge)]),
        };

        foreach (var (path, fields) in attempts)
        {
            using var response = await session.PostAsync(path, [new("__RequestVerificationToken", token), .. fields]);
            Assert.True((int)response.StatusCode is >= 200 and < 500, $"POST {path}: {(int)response.StatusCode}");
        }

        // Broken percent-encoding and invalid UTF-8 in the form body.
        using var broken = await session.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/console/segments/edit?handler=check")
        {
            Content = new ByteArrayContent([.. "__RequestVerificationToken="u8, .. System.Text.Encoding.ASCII.GetBytes(Uri.EscapeDataString(token)), .. "&rule=%FF%FE%zz"u8]) { Headers = { ContentType = new("application/x-www-form-urlencoded") } },
        });
        Assert.True((int)broken.StatusCode < 500, $"broken encoding: {(int)broken.StatusCode}");
    }
}
