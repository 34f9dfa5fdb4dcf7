using Microsoft.Playwright;

namespace Orleans.Segments.Server.Tests.Infrastructure;

/// <summary>
/// Debian's Chromium (package <c>chromium</c>, installed by .ci/run), driven by Playwright with ExecutablePath:
/// nothing downloads a browser. Without it the browser tests fail, never skip.
/// </summary>
public static class Chromium
{
    /// <summary>Where the browser is: <c>SEGMENTS_CHROMIUM</c>, else Debian's path.</summary>
    public static string ExecutablePath => Environment.GetEnvironmentVariable("SEGMENTS_CHROMIUM") ?? "/usr/bin/chromium";

    /// <summary>Where screenshots go: <c>SEGMENTS_SCREENSHOTS</c>, else <c>.ci/out/screenshots</c> of the repository.</summary>
    public static string ScreenshotFolder
    {
        get
        {
            string folder = Environment.GetEnvironmentVariable("SEGMENTS_SCREENSHOTS") ?? Path.Combine(RepositoryRoot.Find(), ".ci", "out", "screenshots");
            Directory.CreateDirectory(folder);
            return folder;
        }
    }

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        Assert.True(File.Exists(ExecutablePath), $"No Chromium at {ExecutablePath}: install Debian's chromium package (apt-get install chromium) or set SEGMENTS_CHROMIUM.");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            // Why: the machines have no internet; without these Chromium tries Google's hosts at start, many at a time.
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
            ],
        });
        return (playwright, browser);
    }
}
