using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Orleans.Segments.Domain.Webhooks;
using Orleans.Segments.Server.Application;
using Orleans.Segments.Webhooks;

namespace Orleans.Segments.Server.Console.Webhooks;

/// <summary>
/// Creates and edits a webhook (its URL, event types, whether it is on), shows its secret once when it is made or
/// rotated, sends a signed test, shows how delivery stands and its dead letters, which can be redelivered.
/// </summary>
public sealed class EditModel(WebhookService webhooks) : PageModel
{
    /// <summary>The id in the path (null on the page for a new one).</summary>
    public string? Id => RouteData.Values.TryGetValue("id", out var value) ? value as string : null;

    public bool IsNew => Id is null;

    public string? TypedId { get; private set; }

    /// <summary>The URL typed or saved (not <c>Url</c>, which is the page's URL helper).</summary>
    public string Address { get; private set; } = "";

    public string Description { get; private set; } = "";

    public bool Enabled { get; private set; } = true;

    public HashSet<string> Events { get; private set; } = new(StringComparer.Ordinal);

    public WebhookState? Saved { get; private set; }

    public IReadOnlyList<WebhookDeadLetter> DeadLetters { get; private set; } = [];

    /// <summary>The secret, shown once: right after the webhook was made or its secret rotated.</summary>
    public string? ShownSecret { get; private set; }

    public WebhookAttempt? TestResult { get; private set; }

    public string? Error { get; private set; }

    public IReadOnlyList<string> Errors { get; private set; } = [];

    private string App => ConsoleAuth.AppId(HttpContext);

    public async Task<IActionResult> OnGetAsync()
    {
        if (IsNew) return Page();
        return await LoadAsync() ? Page() : Gone();
    }

    public async Task<IActionResult> OnPostAsync(string? id, string? url, string? description, string? enabled, string[]? events)
    {
        TypedId = id?.Trim();
        (Address, Description, Enabled) = (url?.Trim() ?? "", description ?? "", enabled == "yes");
        Events = new HashSet<string>(events ?? [], StringComparer.Ordinal);
        string hookId = (IsNew ? TypedId : Id) ?? "";
        if (IsNew && ResourceId.IsValid(hookId) && await webhooks.GetAsync(App, hookId) is not null)
        {
            return Invalid($"There is already a webhook '{hookId}'; open it to edit it, or choose another id.", []);
        }

        var saved = await webhooks.PutAsync(App, hookId, Address, Events, Enabled, Description);
        if (saved.Errors.Count > 0) return Invalid("The webhook was not saved.", saved.Errors);
        if (saved.Result is not { } result)
        {
            Response.StatusCode = StatusCodes.Status409Conflict;
            return Invalid($"The app already has {WebhookRegistryGrain.MaxWebhooks} webhooks; delete one first.", []);
        }

        if (!result.Created)
        {
            TempData["Notice"] = $"Webhook {hookId} saved.";
            return Redirect(Here(hookId));
        }

        // Why: the secret is shown on this answer only (never stored in a cookie or shown again).
        RouteData.Values["id"] = hookId;
        await LoadAsync();
        ShownSecret = result.Webhook.Secret;
        return Page();
    }

    public async Task<IActionResult> OnPostTestAsync()
    {
        if (IsNew || !await LoadAsync()) return Gone();
        TestResult = await webhooks.TestAsync(App, Id!);
        return Page();
    }

    public async Task<IActionResult> OnPostRotateAsync(string? confirm)
    {
        if (IsNew || !await LoadAsync()) return Gone();
        if (confirm != "yes") return Invalid("Tick the box to confirm: the receiver must be given the new secret, or it will refuse every batch.", []);
        ShownSecret = (await webhooks.RotateSecretAsync(App, Id!))?.Secret;
        return Page();
    }

    public async Task<IActionResult> OnPostDeleteAsync(string? confirm)
    {
        if (IsNew || !await LoadAsync()) return Gone();
        if (confirm != "yes") return Invalid("Tick the box to confirm the deletion: its waiting events and dead letters are dropped with it.", []);
        await webhooks.DeleteAsync(App, Id!);
        TempData["Notice"] = $"Webhook {Id} deleted.";
        return Redirect("/console/webhooks");
    }

    public async Task<IActionResult> OnPostRedeliverAsync(string? deadLetter)
    {
        if (IsNew || !await LoadAsync()) return Gone();
        TempData["Notice"] = deadLetter is not null && await webhooks.RedeliverAsync(App, Id!, deadLetter)
            ? $"Dead letter {deadLetter} is queued again, after the events waiting now."
            : "That dead letter is gone (redelivered or dropped meanwhile).";
        return Redirect(Here(Id!));
    }

    private async Task<bool> LoadAsync()
    {
        if (!ResourceId.IsValid(Id)) return false;
        Saved = await webhooks.GetWithBacklogAsync(App, Id!);
        if (Saved is null) return false;
        var s = Saved.Webhook.Settings;
        if (Request.Method == "GET" || Address.Length == 0) (Address, Description, Enabled, Events) = (s.Url, s.Description ?? "", s.Enabled, new HashSet<string>(s.Events, StringComparer.Ordinal));
        DeadLetters = await webhooks.DeadLettersAsync(App, Id!);
        return true;
    }

    private IActionResult Invalid(string error, IReadOnlyList<string> errors)
    {
        Error = error;
        Errors = errors;
        if (Response.StatusCode == StatusCodes.Status200OK) Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    private IActionResult Gone()
    {
        TempData["Notice"] = $"There is no webhook '{ResourceId.Printable(Id ?? "")}' (it may have been deleted in another tab).";
        return Redirect("/console/webhooks");
    }

    public static string Here(string id) => $"/console/webhooks/edit/{Uri.EscapeDataString(id)}";

    public static IReadOnlyList<string> EventTypes => WebhookEventTypes.All;
}
