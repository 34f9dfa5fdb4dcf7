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

    private static readonly SemaphoreSlim InstallLock = new(1, 1);

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        await EnsureInstalledAsync();
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

    /// <summary>
    /// Installs Debian's chromium when it is missing, so that <c>dotnet test</c> works on a fresh machine as the
    /// README promises (the machines run as root; .ci/run installs it too). A failure surfaces as the missing
    /// browser above, never as a skip.
    /// </summary>
    private static async Task EnsureInstalledAsync()
    {
        await InstallLock.WaitAsync();
        try
        {
            if (File.Exists(ExecutablePath) || !OperatingSystem.IsLinux() || !File.Exists("/usr/bin/apt-get")) return;
            await ExternalProcess.RunAsync("apt-get", ["update", "-qq"], "/", TimeSpan.FromMinutes(5));
            await ExternalProcess.RunAsync("env", ["DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y", "-qq", "chromium"], "/", TimeSpan.FromMinutes(10));
        }
        finally
        {
            InstallLock.Release();
        }
    }
}
