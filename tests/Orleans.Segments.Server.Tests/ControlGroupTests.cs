using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Orleans.Segments.Campaigns;
using Orleans.Segments.Domain.Campaigns;
using Orleans.Segments.Server.Tests.Infrastructure;

namespace Orleans.Segments.Server.Tests;

/// <summary>
/// The app's global control group over HTTP: the app "lab" holds 50 % of its users out of every marketing push;
/// a broadcast suppresses exactly them, counts them in the arm "control", credits their conversions there, and a
/// transactional message still reaches them.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class ControlGroupTests(ServerFixture server)
{
    private async Task<JsonNode> Admin(HttpMethod method, string path, string? json, HttpStatusCode expected)
    {
        using var response = await server.AdminAsync(method, path, json, TestApps.Lab);
        return JsonNode.Parse(await response.ShouldHaveStatusAsync(expected))!;
    }

    private async Task Track(string path, string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        using var response = await server.Http.SendAsync(request.WithWriteKey(TestApps.Lab.WriteKey));
        await response.ShouldBeAcceptedAsync();
    }

    private async Task<string> ReachableUser(string cohort, string userId)
    {
        await Track("/v1/identify", $$$"""{"userId": "{{{userId}}}", "traits": {"cohort": "{{{cohort}}}"}}""");
        await Admin(HttpMethod.Put, $"{SegmentsApi.UserPath(userId)}/devices/{Tokens.Apns()}", """{"platform": "ios"}""", HttpStatusCode.OK);
        await Admin(HttpMethod.Put, $"{SegmentsApi.UserPath(userId)}/subscriptions", """{"marketing": true}""", HttpStatusCode.OK);
        return userId;
    }

    private async Task<JsonNode> Message(string userId, string campaign) =>
        (await Admin(HttpMethod.Get, $"{SegmentsApi.UserPath(userId)}/messages", null, HttpStatusCode.OK))["messages"]!.AsArray()
            .Single(m => (string?)m!["campaignId"] == campaign)!;

    [Fact]
    public async Task TheControlGroupGetsNoMarketingPushIsCountedInItsOwnArmAndStillGetsTransactionalOnes()
    {
        string cohort = Guid.NewGuid().ToString("N")[..10];
        string segment = $"cohort-{cohort}";
        await Admin(HttpMethod.Put, $"/v1/segments/{segment}", $$$"""{"rule": "trait(\"cohort\") = \"{{{cohort}}}\""}""", HttpStatusCode.Created);

        // Why: four users of each group, chosen by the assignment's own rule, so the test is the same on every run.
        var candidates = Enumerable.Range(0, 200).Select(i => $"lab-{cohort}-{i}").ToList();
        var control = candidates.Where(u => VariantAssigner.InControlGroup(TestApps.Lab.Id, u, 50)).Take(4).ToList();
        var treated = candidates.Where(u => !VariantAssigner.InControlGroup(TestApps.Lab.Id, u, 50)).Take(4).ToList();
        foreach (string user in control.Concat(treated)) await ReachableUser(cohort, user);

        string id = $"lift-{cohort}";
        await Admin(HttpMethod.Put, $"/v1/campaigns/{id}", $$$"""
            {"audience": {"segment": "{{{segment}}}"}, "trigger": {"type": "manual"}, "message": {"title": "Sale", "body": "20% off"},
             "conversion": {"event": "Order Completed", "window": "3d"}}
            """, HttpStatusCode.Created);
        await Admin(HttpMethod.Post, $"/v1/campaigns/{id}/launch", null, HttpStatusCode.OK);
        await Admin(HttpMethod.Post, $"/v1/campaigns/{id}/send", null, HttpStatusCode.OK);
        await server.Grains.GetGrain<ICampaignGrain>($"{TestApps.Lab.Id}/{id}").Tick();
        await Track("/v1/track", $$"""{"userId": "{{control[0]}}", "event": "Order Completed", "messageId": "{{Guid.NewGuid()}}"}""");
        await Track("/v1/track", $$"""{"userId": "{{treated[0]}}", "event": "Order Completed", "messageId": "{{Guid.NewGuid()}}"}""");
        var stats = await Admin(HttpMethod.Get, $"/v1/campaigns/{id}/stats", null, HttpStatusCode.OK);
        var receipt = await Admin(HttpMethod.Post, "/v1/messages", $$"""
            {"userId": "{{control[1]}}", "idempotencyKey": "{{Guid.NewGuid()}}", "title": "Order confirmed", "body": "Thanks"}
            """, HttpStatusCode.Accepted);

        using var session = await ConsoleSession.SignInAsync(server.BaseAddress, TestApps.Lab.AdminKey);
        var page = await session.PageAsync($"/console/campaigns/{id}");
        var controlRow = page.QuerySelectorAll("tr").Single(r => r.QuerySelector("td")?.TextContent.Trim() == "control");
        var funnel = page.QuerySelector("[aria-label='Funnel']")!.TextContent;

        foreach (string user in control)
        {
            var message = await Message(user, id);
            Assert.Equal(("suppressed", "control_group", "control"), ((string?)message["status"], (string?)message["reason"], (string?)message["variant"]));
        }

        foreach (string user in treated) Assert.Equal("delivered", (string?)(await Message(user, id))["status"]);
        var arm = stats["variants"]!["control"]!;
        Assert.Equal((4L, 4L, 1L), ((long)arm["targeted"]!, (long)arm["suppressedBy"]!["control_group"]!, (long)arm["converted"]!));
        Assert.Equal((4L, 1L), ((long)stats["variants"]!["default"]!["sent"]!, (long)stats["variants"]!["default"]!["converted"]!));
        Assert.Equal("delivered", (string?)receipt["status"]);
        Assert.Contains("the app's global control group: sent nothing; the baseline", controlRow.TextContent);
        Assert.Contains("compared with the app's global control group", page.QuerySelector("main")!.TextContent);
        Assert.Equal("4", controlRow.QuerySelectorAll("td")[1].TextContent.Trim());
        Assert.Contains("Targeted", funnel);

        // Why: the report as a campaign manager sees it, in a real browser, kept as a screenshot.
        var (playwright, browser) = await Chromium.LaunchAsync();
        try
        {
            var tab = await browser.NewPageAsync(new() { BaseURL = server.BaseAddress.ToString(), ViewportSize = new() { Width = 1280, Height = 900 } });
            await tab.GotoAsync("/console/login");
            await tab.Locator("#key").FillAsync(TestApps.Lab.AdminKey);
            await tab.Keyboard.PressAsync("Enter");
            await tab.WaitForURLAsync("**/console");
            await tab.GotoAsync($"/console/campaigns/{id}");
            await tab.ScreenshotAsync(new() { Path = Path.Combine(Chromium.ScreenshotFolder, "console-campaign-control-group.png"), FullPage = true });
            Assert.Contains("the app's global control group: sent nothing; the baseline", await tab.Locator("main").InnerTextAsync());
        }
        finally
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }
    }
}
