using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Orleans.Segments.Server.Apps;

namespace Orleans.Segments.Server.Console;

/// <summary>Sign-in with an app's admin key; the key never goes into a URL, a page, the session or a log.</summary>
[AllowAnonymous]
public sealed class LoginModel(AppCatalog catalog, SignInThrottle throttle, PendingForms pending) : PageModel
{
    public string? Error { get; private set; }

    public string? SignedInApp { get; private set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Resume { get; set; }

    public async Task OnGetAsync()
    {
        var result = await HttpContext.AuthenticateAsync(ConsoleAuth.Scheme);
        SignedInApp = result.Principal?.FindFirst(ConsoleAuth.AppClaim)?.Value;
    }

    public async Task<IActionResult> OnPostAsync(string? key)
    {
        string address = HttpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var wait = throttle.WaitFor(address);
        if (wait > TimeSpan.Zero)
        {
            Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            Error = $"Too many failed attempts from your address. Try again in {Math.Ceiling(wait.TotalSeconds):0} seconds.";
            return Page();
        }

        var caller = catalog.Find(key);
        if (caller is not { Role: KeyRole.Admin })
        {
            throttle.Failed(address);
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            Error = caller is { Role: KeyRole.Write }
                ? "That is a write key: it can only send events. Sign in with the app's admin key."
                : "That key is not the admin key of any app on this server.";
            return Page();
        }

        throttle.Succeeded(address);
        await ConsoleAuth.SignInAsync(HttpContext, caller.AppId);
        // Why: the form is shown again by a page of the new session, so its antiforgery token is the new session's.
        if (Resume is { Length: > 0 } && pending.Has(Resume)) return Redirect($"/console/resume?key={Uri.EscapeDataString(Resume)}");

        TempData["Notice"] = $"Signed in to {caller.AppId}.";
        return Redirect(IsConsoleUrl(ReturnUrl) ? ReturnUrl! : "/console");
    }

    /// <summary>Only a path of the console itself may be returned to (no open redirect).</summary>
    public static bool IsConsoleUrl(string? url) =>
        url is not null && url.StartsWith("/console", StringComparison.Ordinal) && !url.StartsWith("//", StringComparison.Ordinal) && !url.Contains('\\');
}
