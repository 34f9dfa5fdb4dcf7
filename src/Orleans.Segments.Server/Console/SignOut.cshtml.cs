using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Orleans.Segments.Server.Console;

/// <summary>Ends the session (a POST with the antiforgery token, so no other site can sign a manager out).</summary>
[AllowAnonymous]
public sealed class SignOutModel : PageModel
{
    public IActionResult OnGet() => Redirect("/console");

    public async Task<IActionResult> OnPostAsync()
    {
        await ConsoleAuth.SignOutAsync(HttpContext);
        return Redirect("/console/login");
    }
}
