using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Playwright;
using Orleans.Segments.Server.Tests.Infrastructure;

namespace Orleans.Segments.Server.Tests;

/// <summary>
/// Segment's browser library (<c>@segment/analytics-next</c> from npm, tests/analytics-next) in headless Chromium,
/// on a page of another origin, pointed at this server for both its settings and its events: it loads the
/// settings, preflights, posts identify, track and page as text/plain with Basic auth, and the profile shows
/// them. The page and the library come from a local server of the test; nothing loads from a CDN.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class AnalyticsNextBrowserTests(ServerFixture server)
{
    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task AnalyticsNextInChromiumSendsIdentifyTrackAndPageThatTheProfileShows()
    {
        string library = await LibraryAsync();
        string userId = TestApps.NewUserId();
        await using var site = await PageSiteAsync(library);
        var (playwright, browser) = await Chromium.LaunchAsync();
        try
        {
            var page = await browser.NewPageAsync();
            var outside = new List<string>();
            var answers = new List<(string Url, int Status)>();
            page.Request += (_, request) =>
            {
                var host = new Uri(request.Url).Host;
                if (host is not ("127.0.0.1" or "localhost")) outside.Add(request.Url);
            };
            page.Response += (_, response) => answers.Add((response.Url, response.Status));
            var console = new List<string>();
            page.PageError += (_, error) => console.Add($"page error: {error}");
            page.Console += (_, message) => console.Add($"{message.Type}: {message.Text}");
            page.RequestFailed += (_, request) => console.Add($"request failed: {request.Method} {request.Url} {request.Failure}");

            string cdn = server.BaseAddress.GetLeftPart(UriPartial.Authority);
            await page.GotoAsync($"{site.Url}/?cdn={Uri.EscapeDataString(cdn)}&writeKey={TestApps.Shop.WriteKey}&userId={userId}");
            try
            {
                await page.WaitForFunctionAsync("() => window.done === true || window.failed", null, new() { Timeout = 30_000 });
            }
            catch (TimeoutException)
            {
                Assert.Fail($"The page did not finish in 30 s. Console:\n{string.Join('\n', console)}\nAnswers:\n{string.Join('\n', answers)}");
            }

            string? failure = await page.EvaluateAsync<string?>("() => window.failed ?? null");
            await page.ScreenshotAsync(new() { Path = Path.Combine(Chromium.ScreenshotFolder, "analytics-next-page.png") });

            Assert.True(failure is null, $"{failure}\n{string.Join('\n', console)}");
            Assert.Empty(outside);
            Assert.Contains(answers, a => a.Url.EndsWith($"/v1/projects/{TestApps.Shop.WriteKey}/settings", StringComparison.Ordinal) && a.Status == 200);
            foreach (string route in new[] { "/v1/i", "/v1/t", "/v1/p" })
            {
                Assert.Contains(answers, a => a.Url.EndsWith(route, StringComparison.Ordinal) && a.Status == 200);
            }
        }
        finally
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }

        var profile = await server.GetUserAsync(userId);
        Assert.Equal("ada@example.com", (string?)profile["traits"]!["email"]);
        Assert.Equal(1, (long)profile.Behaviour("Product Viewed")!["total"]!);
        Assert.Equal(1, (long)profile.Behaviour("Page Viewed")!["total"]!);
        var device = Assert.Single(profile["appDevices"]!.AsArray())!;
        Assert.Equal("web", (string?)device["platform"]);
        Assert.Equal("analytics.js", (string?)device["library"]!["name"]);
    }

    /// <summary>A page on its own origin that loads analytics-next and calls identify, track and page.</summary>
    private static async Task<Site> PageSiteAsync(string library)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapGet("/", () => Results.Content(Page, "text/html"));
        app.MapGet("/analytics-next.js", () => Results.File(Path.Combine(library, "dist", "umd", "index.js"), "text/javascript"));
        await app.StartAsync();
        return new Site(app, app.Urls.Single());
    }

    /// <summary>The page: settings and events both go to the server under test (its address in the query).</summary>
    private const string Page = """
        <!doctype html>
        <html><head><meta charset="utf-8"><title>Shop</title></head>
        <body><h1>A shop page with Segment's analytics-next</h1><p id="status">loading…</p>
        <script src="/analytics-next.js"></script>
        <script>
          const q = new URLSearchParams(location.search);
          const status = document.getElementById('status');
          const analytics = AnalyticsNext.AnalyticsBrowser.load({ writeKey: q.get('writeKey'), cdnURL: q.get('cdn') });
          (async () => {
            try {
              await analytics.identify(q.get('userId'), { email: 'ada@example.com' });
              await analytics.track('Product Viewed', { category: 'books' });
              await analytics.page('Home');
              status.textContent = 'sent identify, track and page';
              window.done = true;
            } catch (e) {
              window.failed = String(e && e.message || e);
              status.textContent = 'failed: ' + window.failed;
            }
          })();
        </script></body></html>
        """;

    /// <summary>tests/analytics-next with its locked packages installed (npm ci), as .ci/run does.</summary>
    private static async Task<string> LibraryAsync()
    {
        string folder = Path.Combine(RepositoryRoot.Find(), "tests", "analytics-next");
        string library = Path.Combine(folder, "node_modules", "@segment", "analytics-next");
        if (!Directory.Exists(library))
        {
            var install = await ExternalProcess.RunAsync(OperatingSystem.IsWindows() ? "npm.cmd" : "npm", ["ci", "--no-audit", "--no-fund"], folder, InstallTimeout);
            Assert.True(install.ExitCode == 0, $"npm ci in {folder} exited with {install.ExitCode}:\n{install.Output}");
        }

        return library;
    }

    private sealed record Site(WebApplication App, string Url) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await App.StopAsync();
            await App.DisposeAsync();
        }
    }
}
