using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Orleans.Segments.Domain.Profile;
using Orleans.Segments.Hosting;
using Orleans.Segments.Push.Hosting;

namespace Orleans.Segments.Server.Console.Settings;

/// <summary>
/// The signed-in app's settings, read-only (they come from configuration): caps, quiet hours, lifecycle
/// thresholds, limits, and how each platform sends. Never a secret: only whether one is configured.
/// </summary>
public sealed class IndexModel(IOptionsMonitor<SegmentsOptions> segments, IOptionsMonitor<AppPushOptions> push) : PageModel
{
    public string App { get; private set; } = "";

    public UserModelPolicy Policy { get; private set; } = UserModelPolicy.Default;

    public AppPushOptions Push { get; private set; } = new();

    public string[] AllowedOrigins { get; private set; } = [];

    public void OnGet()
    {
        App = ConsoleAuth.AppId(HttpContext);
        Policy = segments.CurrentValue.PolicyFor(App);
        AllowedOrigins = segments.CurrentValue.Apps.TryGetValue(App, out var app) ? app.AllowedOrigins : [];
        Push = push.Get(App);
    }
}
