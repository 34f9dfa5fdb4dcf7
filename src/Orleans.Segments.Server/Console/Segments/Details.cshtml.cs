using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Orleans.Segments.Segments;

namespace Orleans.Segments.Server.Console.Segments;

/// <summary>One segment: exact size, backfill progress, what uses it, daily flows, members in pages, deletion.</summary>
public sealed class DetailsModel(SegmentService segments) : PageModel
{
    private const int PageSize = 50;

    public SegmentSummary? Segment { get; private set; }

    public MembersPage Members { get; private set; } = new([], null);

    public string? Cursor { get; private set; }

    public string? Error { get; private set; }

    public string[] Errors { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string id, string? cursor) => await Load(id, cursor) ?? Page();

    public async Task<IActionResult> OnPostDeleteAsync(string id, string? confirm)
    {
        if (await Load(id, null) is { } missing) return missing;
        if (confirm != "yes")
        {
            Error = "Tick the box to confirm the deletion.";
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }

        var deleted = await segments.DeleteAsync(ConsoleAuth.AppId(HttpContext), id);
        switch (deleted.Status)
        {
            case CatalogChangeStatus.InUse:
                Error = $"Segment {id} is in use and was not deleted.";
                Errors = deleted.Errors;
                Response.StatusCode = StatusCodes.Status409Conflict;
                return Page();
            case CatalogChangeStatus.NotFound:
                TempData["Notice"] = $"Segment {id} was already deleted.";
                return Redirect("/console/segments");
            default:
                TempData["Notice"] = $"Segment {id} deleted.";
                return Redirect("/console/segments");
        }
    }

    private async Task<IActionResult?> Load(string id, string? cursor)
    {
        string app = ConsoleAuth.AppId(HttpContext);
        Segment = ResourceId.IsValid(id) ? await segments.GetAsync(app, id) : null;
        if (Segment is null)
        {
            TempData["Notice"] = $"There is no segment '{ResourceId.Printable(id)}' (it may have been deleted in another tab).";
            return Redirect("/console/segments");
        }

        try
        {
            Members = await segments.MembersAsync(app, id, PageSize, cursor) ?? Members;
            Cursor = cursor;
        }
        catch (ArgumentException)
        {
            Members = await segments.MembersAsync(app, id, PageSize, null) ?? Members;
        }

        return null;
    }
}
