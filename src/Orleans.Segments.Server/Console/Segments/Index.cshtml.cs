using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Orleans.Segments.Server.Console.Segments;

public sealed class IndexModel(SegmentService segments) : PageModel
{
    public IReadOnlyList<SegmentSummary> Segments { get; private set; } = [];

    public async Task OnGetAsync() => Segments = await segments.ListAsync(ConsoleAuth.AppId(HttpContext));
}
