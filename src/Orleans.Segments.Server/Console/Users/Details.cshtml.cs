using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Orleans.Segments.Domain.Campaigns;
using Orleans.Segments.Domain.Segments;
using Orleans.Segments.Users;

namespace Orleans.Segments.Server.Console.Users;

/// <summary>
/// One user: the live profile, every segment with the explanation tree of why the user is in or out, the message
/// log with every decision and its reason, and the actions: consents, a test push, erasure.
/// </summary>
public sealed class DetailsModel(UserService users) : PageModel
{
    public UserProfileView? Profile { get; private set; }

    public IReadOnlyList<(SegmentDefinition Segment, Explanation? Why)> Explanations { get; private set; } = [];

    public MessageLogEntry[] Messages { get; private set; } = [];

    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(string id) => await Load(id) ?? Page();

    public async Task<IActionResult> OnPostConsentsAsync(string id, bool marketing, bool transactional)
    {
        if (await Load(id) is { } missing) return missing;
        await users.SetConsentsAsync(ConsoleAuth.AppId(HttpContext), id, marketing, transactional);
        TempData["Notice"] = $"Consents saved: marketing {(marketing ? "on" : "off")}, transactional {(transactional ? "on" : "off")}.";
        return Redirect(Here(id));
    }

    public async Task<IActionResult> OnPostTestAsync(string id, string? title, string? body)
    {
        if (await Load(id) is { } missing) return missing;
        var message = new CampaignMessage(title ?? "", body ?? "");
        if (message.Validate() is { } problem)
        {
            Error = $"The test message is invalid: {problem}";
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }

        var result = await users.SendTestAsync(ConsoleAuth.AppId(HttpContext), id, "console-test", message);
        TempData["Notice"] = $"Test push: {result.Status.ToString().ToLowerInvariant()} ({result.Detail}).";
        return Redirect(Here(id));
    }

    public async Task<IActionResult> OnPostEraseAsync(string id, string? confirm)
    {
        if (await Load(id) is { } missing) return missing;
        if (confirm != "yes")
        {
            Error = "Tick the box to confirm the erasure.";
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }

        await users.EraseAsync(ConsoleAuth.AppId(HttpContext), id);
        TempData["Notice"] = $"User {id} erased.";
        return Redirect("/console/users");
    }

    private static string Here(string id) => $"/console/users/{Uri.EscapeDataString(id)}";

    private async Task<IActionResult?> Load(string id)
    {
        string app = ConsoleAuth.AppId(HttpContext);
        Profile = UserService.IsValidUserId(id) ? await users.ProfileAsync(app, id) : null;
        if (Profile is null)
        {
            TempData["Notice"] = "There is no such user in this app (erased, or never seen).";
            return Redirect("/console/users");
        }

        Explanations = await users.ExplainAllAsync(app, id);
        Messages = await users.MessagesAsync(app, id);
        return null;
    }
}
