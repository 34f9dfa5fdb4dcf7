using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Orleans.Segments.Campaigns;
using Orleans.Segments.Server.Tests.Infrastructure;
using static Orleans.Segments.Server.Tests.Infrastructure.SegmentRequests;

namespace Orleans.Segments.Server.Tests;

/// <summary>
/// The console in headless Chromium (Debian's package) against the real server over HTTP, used the way a
/// campaign manager uses it: sign in, write a segment rule, compose and send a campaign, read why a user is in a
/// segment and why a message was suppressed. Every screen is kept as a screenshot, at desktop and phone widths.
/// Waits are bounded and only for the real server's answers.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class ConsoleBrowserTests(ServerFixture server) : IAsyncLifetime
{
    private static readonly (string Name, int Width, int Height)[] Screens = [("desktop", 1280, 900), ("phone", 390, 844)];

    private IPlaywright playwright = null!;
    private IBrowser browser = null!;
    private readonly List<string> problems = [];

    public async Task InitializeAsync() => (playwright, browser) = await Chromium.LaunchAsync();

    public async Task DisposeAsync()
    {
        await browser.DisposeAsync();
        playwright.Dispose();
    }

    /// <summary>A page whose console errors (CSP violations included), failed requests and requests to other hosts are collected.</summary>
    private async Task<IPage> NewPageAsync(int width = 1280, int height = 900)
    {
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = width, Height = height }, BaseURL = server.BaseAddress.ToString() });
        page.Console += (_, message) =>
        {
            // Why: a refused form answers 4xx by design, and Chromium logs every 4xx resource as an error.
            if (message.Type == "error" && !message.Text.StartsWith("Failed to load resource: the server responded with a status of 4", StringComparison.Ordinal)) problems.Add($"console: {message.Text}");
        };
        page.PageError += (_, error) => problems.Add($"page error: {error}");
        page.Dialog += (_, dialog) => problems.Add($"dialog opened: {dialog.Message}");
        page.Request += (_, request) =>
        {
            if (new Uri(request.Url).Host is not ("127.0.0.1" or "localhost")) problems.Add($"request to another host: {request.Url}");
        };
        page.Response += (_, response) =>
        {
            if (response.Status >= 500) problems.Add($"{response.Status} from {response.Url}");
        };
        page.SetDefaultTimeout(15_000);
        return page;
    }

    private static async Task SignInAsync(IPage page, string key)
    {
        await page.GotoAsync("/console/login");
        await page.Locator("#key").FocusAsync();
        await page.Keyboard.TypeAsync(key);
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync("**/console");
    }

    private static Task ShotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new() { Path = Path.Combine(Chromium.ScreenshotFolder, $"console-{name}.png"), FullPage = true });

    /// <summary>Users of one cohort: reachable ones (device and marketing consent) and one without consent.</summary>
    private async Task<(string Segment, string Cohort, string[] Reachable, string NoConsent)> AudienceAsync()
    {
        string cohort = NewCohort();
        string segment = NewId("bseg");
        await server.PutSegmentAsync(segment, InCohort(cohort));
        var reachable = new List<string>();
        for (int i = 0; i < 3; i++)
        {
            string user = TestApps.NewUserId();
            await server.IngestAcceptedAsync("/v1/identify", Identify(user, cohort, new JsonObject { ["first_name"] = $"Ada{i}" }).ToJsonString());
            await DeviceAsync(user);
            using var consent = await server.AdminAsync(HttpMethod.Put, $"{SegmentsApi.UserPath(user)}/subscriptions", """{"marketing": true}""");
            await consent.ShouldHaveStatusAsync(HttpStatusCode.OK);
            reachable.Add(user);
        }

        string noConsent = TestApps.NewUserId();
        await server.IngestAcceptedAsync("/v1/identify", Identify(noConsent, cohort, new JsonObject { ["first_name"] = "Bob", ["bio"] = "<script>alert('xss')</script>" }).ToJsonString());
        await DeviceAsync(noConsent);
        return (segment, cohort, reachable.ToArray(), noConsent);
    }

    private async Task DeviceAsync(string user)
    {
        using var device = await server.AdminAsync(HttpMethod.Put, $"{SegmentsApi.UserPath(user)}/devices/{Tokens.Apns()}", """{"platform": "ios"}""");
        await device.ShouldHaveStatusAsync(HttpStatusCode.OK);
    }

    /// <summary>
    /// A backend developer reading the API reference: Scalar renders the document's operations with their bodies
    /// and errors, fetching nothing from the internet (no fonts, no telemetry).
    /// </summary>
    [Fact]
    public async Task ApiReferenceShowsTheCampaignBodyAndItsErrorsWithoutTheInternet()
    {
        var page = await NewPageAsync();
        await page.GotoAsync("/scalar#tag/campaigns/PUT/v1/campaigns/{id}");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Chromium.ScreenshotFolder, "api-reference.png") });
        await Assertions.Expect(page.GetByText("throttlePerMinute").First).ToBeAttachedAsync();
        string text = await page.Locator("body").InnerTextAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(Chromium.ScreenshotFolder, "api-reference.png") });

        foreach (string expected in new[] { "throttlePerMinute", "quietHours", "Spring sale", "PutCampaign", "409", "429", "503" })
        {
            Assert.True(text.Contains(expected, StringComparison.Ordinal), $"the API reference does not show '{expected}'");
        }

        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [Fact]
    public async Task CampaignManagerWritesASegmentComposesSendsAndReadsWhy()
    {
        var (audience, cohort, reachable, noConsent) = await AudienceAsync();
        var page = await NewPageAsync();

        // Sign in with the keyboard.
        await SignInAsync(page, TestApps.Shop.AdminKey);
        Assert.Contains("Overview of shop", await page.Locator("h1").InnerTextAsync());
        await ShotAsync(page, "overview");

        // A rule with an error shows it at its line and column as it is typed; fixed, it is counted.
        string segment = NewId("bnew");
        await page.GotoAsync("/console/segments/edit");
        await page.FillAsync("#id", segment);
        await page.FillAsync("#name", "Browser cohort");
        await page.Locator("#rule").PressSequentiallyAsync($"trait(\"cohort\") = \"{cohort}\" and stage = ");
        await page.Locator("#rule-check .error").WaitForAsync();
        string error = await page.Locator("#rule-check .error").InnerTextAsync();
        Assert.StartsWith("Line 1, column", error);
        await ShotAsync(page, "segment-editor-error");
        await page.FillAsync("#rule", $"trait(\"cohort\") = \"{cohort}\" and stage = \"new\"");
        await page.Locator("#rule-check").GetByText("users match now").WaitForAsync();
        Assert.Contains("4 of", await page.Locator("#rule-check").InnerTextAsync());
        await ShotAsync(page, "segment-editor-count");
        await page.ClickAsync("button[type=submit]:has-text('Save segment')");
        await page.WaitForURLAsync($"**/console/segments/{segment}");
        await server.BackfillAsync();
        await page.ReloadAsync();
        Assert.StartsWith("4", (await page.Locator(".stat").First.InnerTextAsync()).Trim());
        await ShotAsync(page, "segment-details");
        await page.GotoAsync("/console/segments");
        await ShotAsync(page, "segments");

        // Compose a manual campaign to the audience, preview it for a user, save, launch, send.
        string campaign = NewId("bcamp");
        await page.GotoAsync("/console/campaigns/edit");
        await page.FillAsync("#f-id", campaign);
        await page.FillAsync("#f-name", "Browser sale");
        await page.SelectOptionAsync("#f-trigger-type", "manual");
        await page.SelectOptionAsync("#f-audience-kind", "segment");
        await page.FillAsync("#f-audience-segment", audience);
        await page.Locator("#reach").GetByText("Reach now: 4 users").WaitForAsync();
        await page.FillAsync("#f-message-title", "Hi {{ traits.first_name }}");
        await page.FillAsync("#f-message-body", "20% off today");
        await page.SelectOptionAsync("#f-quietHours-mode", "off");
        await page.FillAsync("#preview-user", reachable[0]);
        await page.Locator("#preview .push-title").GetByText("Hi Ada0").WaitForAsync();
        Assert.Contains("apns-push-type: alert", await page.Locator("#preview pre").First.InnerTextAsync());
        await ShotAsync(page, "campaign-composer");
        await page.ClickAsync("button:has-text('Save campaign')");
        await page.WaitForURLAsync($"**/console/campaigns/{campaign}");
        await page.ClickAsync("form.command-launch button");
        await page.Locator(".badge.running").First.WaitForAsync();
        await page.ClickAsync("a:has-text('Send now')");
        Assert.Contains("4 users now", await page.Locator("#confirm").InnerTextAsync());
        await ShotAsync(page, "campaign-send-confirmation");
        await page.ClickAsync("#confirm button[type=submit]");
        await page.Locator(".notice").GetByText("Broadcast started").WaitForAsync();
        await server.Grains.GetGrain<ICampaignGrain>($"shop/{campaign}").Tick();

        // The report refreshes itself (every 5 s) and counts the sends.
        await page.WaitForFunctionAsync("() => document.querySelector('[data-step=delivered]')?.textContent.trim().startsWith('3')", null, new() { Timeout = 15_000 });
        Assert.StartsWith("4", (await page.Locator("[data-step=targeted]").InnerTextAsync()).Trim());
        Assert.Contains("no_consent", await page.Locator("#report").InnerTextAsync());
        await ShotAsync(page, "campaign-report");
        await page.GotoAsync("/console/campaigns");
        await ShotAsync(page, "campaigns");

        // Look the suppressed user up: why they are in the segment, why they got nothing, their trait as text.
        await page.GotoAsync("/console/users");
        await page.FillAsync("input[name=id]", noConsent);
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync($"**/console/users/{noConsent}");
        var why = page.Locator("details", new() { HasText = segment });
        await why.Locator("summary").ClickAsync();
        Assert.Contains("✔", await why.InnerTextAsync());
        Assert.Contains($"the user's value: {cohort}", await why.InnerTextAsync());
        string log = await page.Locator("table", new() { HasText = campaign }).InnerTextAsync();
        Assert.Contains("no_consent", log);
        Assert.Contains("<script>alert('xss')</script>", await page.Locator("main").InnerTextAsync());
        Assert.Equal(0, await page.Locator("main script").CountAsync());
        await ShotAsync(page, "user");

        Assert.Empty(problems);
    }

    [Fact]
    public async Task AnotherAppsKeySeesNoneOfThisApp()
    {
        var (audience, _, reachable, _) = await AudienceAsync();
        var page = await NewPageAsync();
        await SignInAsync(page, TestApps.Shop.AdminKey);
        await page.GotoAsync("/console/segments");
        Assert.Contains(audience, await page.Locator("main").InnerTextAsync());

        await page.ClickAsync("a:has-text('Switch app')");
        await page.FillAsync("#key", TestApps.Other.AdminKey);
        await page.ClickAsync("#login-form button[type=submit]");
        await page.WaitForURLAsync("**/console");
        Assert.Contains("app other", await page.Locator("header").InnerTextAsync());
        await page.GotoAsync("/console/segments");
        Assert.DoesNotContain(audience, await page.Locator("main").InnerTextAsync());
        await page.GotoAsync($"/console/users/{reachable[0]}");
        Assert.EndsWith("/console/users", page.Url);
        Assert.Contains("There is no such user in this app", await page.Locator(".notice").InnerTextAsync());
        await ShotAsync(page, "other-app-sees-nothing");
        Assert.Empty(problems);
    }

    [Fact]
    public async Task ACampaignManagerWritesAJourneyFixesWhatTheEditorNamesAndLaunchesIt()
    {
        string id = NewId("bwrite");
        var page = await NewPageAsync();
        await SignInAsync(page, TestApps.Shop.AdminKey);
        await page.GotoAsync("/console/journeys");
        await page.ClickAsync("a:has-text('New journey')");
        // Why: the journey goes live in the shared app; an entry event of its own keeps other tests' users out of it.
        string example = (await page.InputValueAsync("#f-definition")).Replace("\"Signed Up\"", $"\"Signed Up {id}\"", StringComparison.Ordinal);
        await page.FillAsync("#f-id", id);
        await page.FillAsync("#f-definition", example.Replace("\"next\": \"bought\"", "\"next\": \"day1\"", StringComparison.Ordinal));
        await page.ClickAsync("form.card button[type=submit]");
        string listed = await page.Locator("section.errors").InnerTextAsync();
        await ShotAsync(page, "journey-edit-errors");

        await page.FillAsync("#f-definition", example);
        await page.ClickAsync("form.card button[type=submit]");
        await page.WaitForURLAsync($"**/console/journeys/{id}");
        await page.ClickAsync("form.command-launch button");
        await page.WaitForURLAsync($"**/console/journeys/{id}");
        string badge = await page.Locator("h1 + .badge").InnerTextAsync();

        Assert.Contains("is a cycle", listed);
        Assert.Equal(id, await page.Locator("p.hint code").First.InnerTextAsync());
        Assert.Equal("live", badge);
        Assert.Empty(problems);
    }

    [Fact]
    public async Task ACampaignManagerAddsATranslationPreviewsEachLanguageAndReadsTheSendsPerLanguage()
    {
        var (audience, _, reachable, _) = await AudienceAsync();
        foreach (string german in reachable[..2])
        {
            await server.IngestAcceptedAsync("/v1/identify", $$$"""{"userId": "{{{german}}}", "traits": {"locale": "de-DE"}}""");
        }

        string campaign = NewId("blocal");
        var page = await NewPageAsync();
        await SignInAsync(page, TestApps.Shop.AdminKey);
        await page.GotoAsync("/console/campaigns/edit");
        await page.FillAsync("#f-id", campaign);
        await page.FillAsync("#f-name", "Sale in two languages");
        await page.SelectOptionAsync("#f-trigger-type", "manual");
        await page.SelectOptionAsync("#f-audience-kind", "segment");
        await page.FillAsync("#f-audience-segment", audience);
        await page.FillAsync("#f-message-title", "Hi {{ traits.first_name }}");
        await page.FillAsync("#f-message-body", "20% off today");
        await page.SelectOptionAsync("#f-quietHours-mode", "off");
        await page.ClickAsync("details.translations > summary");
        await page.FillAsync("#f-message-translations-0-locale", "de");
        await page.FillAsync("#f-message-translations-0-title", "Hallo {{ traits.first_name }}");
        await page.FillAsync("#f-message-translations-0-body", "Heute 20 % Rabatt");
        await page.FillAsync("#preview-user", reachable[0]);
        await page.Locator("#preview .push-title").GetByText("Hallo Ada0").WaitForAsync();
        string languages = await page.Locator("#preview table.languages").InnerTextAsync();
        await ShotAsync(page, "campaign-composer-translations");
        await page.ClickAsync("button:has-text('Save campaign')");
        await page.WaitForURLAsync($"**/console/campaigns/{campaign}");
        await page.ClickAsync("form.command-launch button");
        await page.Locator(".badge.running").First.WaitForAsync();
        await page.ClickAsync("a:has-text('Send now')");
        await page.ClickAsync("#confirm button[type=submit]");
        await page.Locator(".notice").GetByText("Broadcast started").WaitForAsync();
        await server.Grains.GetGrain<ICampaignGrain>($"shop/{campaign}").Tick();
        await page.ReloadAsync();
        var byLanguage = page.Locator("table[aria-label='Pushes per translation']");
        await byLanguage.WaitForAsync();
        string counts = await byLanguage.InnerTextAsync();
        await ShotAsync(page, "campaign-report-languages");

        Assert.Contains("Hallo Ada0", languages);
        Assert.Contains("Hi Ada0", languages);
        var rows = counts.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Contains(rows, r => r.StartsWith("de\t2", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.StartsWith("default\t1", StringComparison.Ordinal));
        Assert.Empty(problems);
    }

    [Fact]
    public async Task EveryScreenFitsADesktopAndAPhoneWithoutProblems()
    {
        var (audience, _, reachable, _) = await AudienceAsync();
        string campaign = NewId("bshot");
        using (var put = await server.AdminAsync(HttpMethod.Put, $"/v1/campaigns/{campaign}", $$$"""
            {"name": "Weekly digest", "audience": {"segment": "{{{audience}}}"}, "trigger": {"type": "schedule", "cron": "0 9 * * 1", "timeZone": "Europe/Berlin"},
             "message": {"translations": {"de": {"title": "Deine Woche, {{ traits.first_name }}", "body": "Unsere Tipps"}}, "title": "Your week, {{ traits.first_name }}", "body": "Top picks",
                         "image": "https://cdn.example.com/week.jpg", "buttons": [{"id": "open", "title": "Open", "deepLink": "shop://week"}], "badge": 1}, "holdoutPercent": 10,
             "variants": [{"name": "a", "percent": 50, "message": {"title": "A", "body": "a"}}, {"name": "b", "percent": 50, "message": {"title": "B", "body": "b"}}],
             "conversion": {"event": "Order Completed", "window": "3d"}}
            """))
        {
            await put.ShouldHaveStatusAsync(HttpStatusCode.Created);
        }

        string fence = NewId("bfence");
        using (var put = await server.AdminAsync(HttpMethod.Put, GeofencePath(fence), """{"name": "Station", "polygon": [[52.520, 13.400], [52.526, 13.405], [52.522, 13.415]]}"""))
        {
            Assert.True(put.IsSuccessStatusCode);
        }

        // A live journey the reachable users entered (its entry event is this test's own), so its steps show counts.
        string journey = NewId("bjourney");
        string signedUp = $"Signed Up {journey}";
        using (var put = await server.AdminAsync(HttpMethod.Put, $"/v1/journeys/{journey}", Orleans.Segments.Server.Apis.ApiDocs.JourneyExample.Replace("\"event\": \"Signed Up\"", $"\"event\": \"{signedUp}\"", StringComparison.Ordinal)))
        {
            await put.ShouldHaveStatusAsync(HttpStatusCode.Created);
        }

        using (var launch = await server.AdminAsync(HttpMethod.Post, $"/v1/journeys/{journey}/launch"))
        {
            await launch.ShouldHaveStatusAsync(HttpStatusCode.OK);
        }

        foreach (string user in reachable)
        {
            await server.IngestAcceptedAsync("/v1/track", $$$"""{"userId": "{{{user}}}", "event": "{{{signedUp}}}"}""");
        }

        // Why: disabled, so nothing is posted to it; a fixed id, so runs never pile up webhooks.
        using (var put = await server.AdminAsync(HttpMethod.Put, "/v1/webhooks/warehouse-shot", """{"url": "https://ingest.example.com/segments", "events": ["message.sent", "message.opened", "segment.entered"], "enabled": false, "description": "Nightly warehouse load"}"""))
        {
            Assert.True(put.IsSuccessStatusCode);
        }

        (string Path, string Name)[] screens =
        [
            ("/console", "overview"), ("/console/segments", "segments"), ("/console/segments/edit", "segment-new"), ($"/console/segments/{audience}", "segment"),
            ("/console/users", "users"), ($"/console/users/{reachable[0]}", "user-profile"), ("/console/campaigns", "campaigns"),
            ("/console/campaigns/edit", "campaign-new"), ($"/console/campaigns/edit/{campaign}", "campaign-edit"), ($"/console/campaigns/{campaign}", "campaign"),
            ("/console/geofences", "geofences"), ($"/console/geofences/edit/{fence}", "geofence-edit"), ("/console/settings", "settings"),
            ("/console/journeys", "journeys"), ($"/console/journeys/{journey}", "journey"), ($"/console/journeys/edit/{journey}", "journey-edit"),
            ("/console/webhooks", "webhooks"), ("/console/webhooks/edit/warehouse-shot", "webhook-edit"), ("/console/webhooks/edit", "webhook-new"),
        ];

        foreach (var (screen, width, height) in Screens)
        {
            var page = await NewPageAsync(width, height);
            await page.GotoAsync("/console/login");
            await ShotAsync(page, $"login-{screen}");
            await SignInAsync(page, TestApps.Shop.AdminKey);
            foreach (var (path, name) in screens)
            {
                var response = await page.GotoAsync(path);
                Assert.True(response?.Status == 200, $"{path}: {response?.Status}");
                await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
                await ShotAsync(page, $"{name}-{screen}");
                int overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
                string widest = await page.EvaluateAsync<string>("""
                    () => [...document.querySelectorAll('main *')].filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
                        .map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right)).slice(0, 5).join(', ')
                    """);
                Assert.True(overflow <= 1, $"{path} is {overflow} px wider than a {width} px screen: {widest}");
            }

            await page.CloseAsync();
        }

        Assert.Empty(problems);
    }
}
