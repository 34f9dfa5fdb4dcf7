using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Orleans.Segments.Server.Console;

/// <summary>The app at a glance: users by stage and their moves, events per minute, segments, running campaigns, opt-outs.</summary>
public sealed class IndexModel(OverviewService overview) : PageModel
{
    public string AppId { get; private set; } = "";

    public AppOverview Overview { get; private set; } = null!;

    public async Task OnGetAsync()
    {
        AppId = ConsoleAuth.AppId(HttpContext);
        Overview = await overview.GetAsync(AppId);
    }

    /// <summary>The same figures, refreshed by the page every few seconds.</summary>
    public async Task<IActionResult> OnGetLiveAsync() => Partial("_OverviewLive", await overview.GetAsync(ConsoleAuth.AppId(HttpContext)));
}
