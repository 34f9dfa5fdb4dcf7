using Orleans.Segments.Server.Tests.Infrastructure;

namespace Orleans.Segments.Server.Tests;

/// <summary>
/// Segment's official Node.js library (<c>@segment/analytics-node</c>, pinned in <c>tests/analytics-node</c>) talks
/// to the server unchanged: it batches to <c>/v1/batch</c>, authenticates with HTTP Basic, sends its own
/// <c>sentAt</c>, <c>context.library</c> and <c>_metadata</c>, and treats anything but 2xx as a failure.
/// The node process keeps real time while the server's clock is fake, so its sentAt correction is exercised too.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class AnalyticsNodeClientTests(ServerFixture server)
{
    private static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(3);
    private static readonly SemaphoreSlim InstallOnce = new(1, 1);

    [Fact]
    public async Task OfficialNodeClientDeliversEveryCall()
    {
        string userId = TestApps.NewUserId();

        await SendWithNodeClientAsync(userId);

        var profile = await server.GetUserAsync(userId);
        Assert.Equal("Ada Lovelace", (string?)profile["traits"]!["name"]);
        Assert.Equal("ada@example.com", (string?)profile["traits"]!["email"]);
        Assert.Equal(3, (long)profile.Behaviour("Product Viewed")!["total"]!);
        Assert.Equal(1, (long)profile.Behaviour("Order Completed")!["total"]!);
        Assert.Equal(1, (long)profile.Behaviour("Page Viewed")!["total"]!);
        Assert.Equal(1, (long)profile.Behaviour("Screen Viewed")!["total"]!);
        Assert.Equal(7, profile.EventsApplied());
        Assert.Equal("books", (string?)profile["interests"]![0]!["category"]);
        Assert.Equal("new", profile.Stage());
    }

    [Fact]
    public async Task OrderSentTwiceByTheNodeClientWithOneMessageIdIsCountedOnce()
    {
        string userId = TestApps.NewUserId();

        await SendWithNodeClientAsync(userId);
        await SendWithNodeClientAsync(userId);

        var profile = await server.GetUserAsync(userId);
        Assert.Equal(1, (long)profile.Behaviour("Order Completed")!["total"]!);
        Assert.Equal(6, (long)profile.Behaviour("Product Viewed")!["total"]!);
    }

    private async Task SendWithNodeClientAsync(string userId)
    {
        string folder = await ClientFolderAsync();
        string host = server.BaseAddress.GetLeftPart(UriPartial.Authority);
        var run = await ExternalProcess.RunAsync("node", ["send.mjs", host, TestApps.Shop.WriteKey, userId], folder, SendTimeout);
        Assert.True(run.ExitCode == 0, $"node send.mjs exited with {run.ExitCode}:\n{run.Output}");
    }

    /// <summary>The client's folder, with its locked packages installed (<c>npm ci</c>) on a fresh checkout.</summary>
    private static async Task<string> ClientFolderAsync()
    {
        string folder = Path.Combine(RepositoryRoot.Find(), "tests", "analytics-node");
        await InstallOnce.WaitAsync();
        try
        {
            if (!Directory.Exists(Path.Combine(folder, "node_modules", "@segment", "analytics-node")))
            {
                string npm = OperatingSystem.IsWindows() ? "npm.cmd" : "npm";
                var install = await ExternalProcess.RunAsync(npm, ["ci", "--no-audit", "--no-fund"], folder, InstallTimeout);
                Assert.True(install.ExitCode == 0, $"npm ci in {folder} exited with {install.ExitCode}:\n{install.Output}");
            }
        }
        finally
        {
            InstallOnce.Release();
        }

        return folder;
    }
}
