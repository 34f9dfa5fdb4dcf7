using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Orleans.Segments.Server.Console;

/// <summary>
/// The console's session: an app's admin key, checked once at sign-in, opens a cookie that names only the app
/// (never the key). HttpOnly, SameSite=Strict, Secure over HTTPS, scoped to /console, expiring after 8 hours of
/// inactivity. Only console pages use this scheme; the JSON API keeps its own keys.
/// </summary>
public static class ConsoleAuth
{
    public const string Scheme = "console";

    public const string Policy = "console";

    public const string AppClaim = "segments:app";

    /// <summary>The app the session is signed in to.</summary>
    public static string AppId(HttpContext http) =>
        http.User.FindFirst(AppClaim)?.Value ?? throw new InvalidOperationException("The console page runs without a signed-in app.");

    public static IServiceCollection AddConsoleAuth(this IServiceCollection services)
    {
        services.AddAuthentication()
            .AddCookie(Scheme, o =>
            {
                o.Cookie.Name = "segments-console";
                o.Cookie.Path = "/console";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.ExpireTimeSpan = TimeSpan.FromHours(8);
                o.SlidingExpiration = true;
                o.LoginPath = "/console/login";
                o.LogoutPath = "/console/signout";
                o.AccessDeniedPath = "/console/login";
                o.Events.OnRedirectToLogin = KeepFormAndRedirect;
            });
        services.AddAuthorizationBuilder().AddPolicy(Policy, p => p.AddAuthenticationSchemes(Scheme).RequireAuthenticatedUser().RequireClaim(AppClaim));
        return services;
    }

    public static ClaimsPrincipal Principal(string appId) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, appId), new Claim(AppClaim, appId)], Scheme));

    /// <summary>
    /// A session that expired: a fragment request (htmx) is told to load the sign-in page; a form posted with it is
    /// kept (see <see cref="PendingForms"/>) so that signing in again can send it on instead of losing it.
    /// </summary>
    private static async Task KeepFormAndRedirect(RedirectContext<CookieAuthenticationOptions> context)
    {
        var http = context.HttpContext;
        string returnUrl = http.Request.PathBase + http.Request.Path + http.Request.QueryString;
        string login = $"/console/login?returnUrl={Uri.EscapeDataString(returnUrl)}";
        if (http.Request.Headers.ContainsKey("HX-Request"))
        {
            http.Response.StatusCode = StatusCodes.Status401Unauthorized;
            http.Response.Headers["HX-Redirect"] = login;
            return;
        }

        if (HttpMethods.IsPost(http.Request.Method) && http.Request.HasFormContentType)
        {
            var form = await http.Request.ReadFormAsync(http.RequestAborted);
            string key = http.RequestServices.GetRequiredService<PendingForms>().Keep(returnUrl, form);
            login += $"&resume={key}";
        }

        http.Response.Redirect(login);
    }

    public static Task SignInAsync(HttpContext http, string appId) =>
        http.SignInAsync(Scheme, Principal(appId), new AuthenticationProperties { IsPersistent = false });

    public static Task SignOutAsync(HttpContext http) => http.SignOutAsync(Scheme);
}
