using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Orleans.Segments.Server.Console.Users;

public sealed class IndexModel(UserService users) : PageModel
{
    public string? Id { get; private set; }

    public bool Missing { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? id)
    {
        Id = id?.Trim();
        if (string.IsNullOrEmpty(Id)) return Page();
        if (UserService.IsValidUserId(Id) && await users.ProfileAsync(ConsoleAuth.AppId(HttpContext), Id) is not null)
        {
            return Redirect($"/console/users/{Uri.EscapeDataString(Id)}");
        }

        Missing = true;
        Response.StatusCode = StatusCodes.Status404NotFound;
        return Page();
    }
}
