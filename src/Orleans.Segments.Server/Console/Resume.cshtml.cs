using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Orleans.Segments.Server.Console;

/// <summary>After signing in again: the form sent with the expired session, to send on with the new session's token.</summary>
public sealed class ResumeModel(PendingForms pending) : PageModel
{
    public PendingForm? Form { get; private set; }

    public void OnGet(string? key)
    {
        var form = pending.Find(key);
        Form = form is not null && LoginModel.IsConsoleUrl(form.Target) ? form : null;
    }
}
