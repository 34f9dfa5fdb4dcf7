using Microsoft.AspNetCore.Mvc.RazorPages;
using Orleans.Segments.Journeys;

namespace Orleans.Segments.Server.Console.Journeys;

/// <summary>The app's journeys: name, status, version and size. Journeys are drafts until launching them is built.</summary>
public sealed class IndexModel(JourneyService journeys) : PageModel
{
    public IReadOnlyList<JourneyListing> Journeys { get; private set; } = [];

    public async Task OnGetAsync() => Journeys = await journeys.ListAsync(ConsoleAuth.AppId(HttpContext));
}
