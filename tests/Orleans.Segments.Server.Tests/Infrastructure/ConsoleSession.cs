using System.Net;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

namespace Orleans.Segments.Server.Tests.Infrastructure;

/// <summary>
/// A browser-like client of the console over real HTTP: a cookie jar, no automatic redirects (tests look at
/// them), and forms posted with the antiforgery token of the page they come from, as a browser posts them.
/// </summary>
public sealed class ConsoleSession : IDisposable
{
    private static readonly HtmlParser Parser = new();

    private readonly HttpClient http;

    public ConsoleSession(Uri baseAddress)
    {
        Cookies = new CookieContainer();
        http = new HttpClient(new HttpClientHandler { CookieContainer = Cookies, AllowAutoRedirect = false, UseCookies = true })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromSeconds(60),
        };
    }

    public CookieContainer Cookies { get; }

    /// <summary>A session signed in to the app of <paramref name="adminKey"/>.</summary>
    public static async Task<ConsoleSession> SignInAsync(Uri baseAddress, string adminKey)
    {
        var session = new ConsoleSession(baseAddress);
        using var response = await session.SignInWithAsync(adminKey);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return session;
    }

    /// <summary>Posts the sign-in form with <paramref name="key"/>.</summary>
    public async Task<HttpResponseMessage> SignInWithAsync(string key, string? returnUrl = null, string? resume = null) =>
        await SubmitAsync("/console/login" + (returnUrl is null ? "" : $"?returnUrl={Uri.EscapeDataString(returnUrl)}") + (resume is null ? "" : $"{(returnUrl is null ? "?" : "&")}resume={resume}"),
            "#login-form", [new("key", key)]);

    public Task<HttpResponseMessage> GetAsync(string path, bool htmx = false)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (htmx) request.Headers.Add("HX-Request", "true");
        return http.SendAsync(request);
    }

    /// <summary>A page that must answer 200, parsed.</summary>
    public async Task<IHtmlDocument> PageAsync(string path)
    {
        using var response = await GetAsync(path);
        string html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode} {response.Headers.Location}\n{Text(html)}");
        return Parse(html);
    }

    /// <summary>
    /// Loads <paramref name="pagePath"/>, fills the form matched by <paramref name="formSelector"/> with
    /// <paramref name="fields"/> (over the values it already has) and submits it to its action, as a browser does.
    /// </summary>
    public async Task<HttpResponseMessage> SubmitAsync(string pagePath, string formSelector, IEnumerable<KeyValuePair<string, string>> fields, string? action = null)
    {
        var page = await PageAsync(pagePath);
        var form = page.QuerySelector(formSelector) as IHtmlFormElement ?? throw new InvalidOperationException($"No form '{formSelector}' on {pagePath}.");
        var values = FormValues(form);
        foreach (var (name, value) in fields)
        {
            values.RemoveAll(v => v.Key == name);
            values.Add(new(name, value));
        }

        string target = action ?? form.GetAttribute("action") ?? pagePath;
        return await PostAsync(string.IsNullOrEmpty(target) ? pagePath : target, values);
    }

    public Task<HttpResponseMessage> PostAsync(string path, IEnumerable<KeyValuePair<string, string>> fields, bool htmx = false)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(fields) };
        if (htmx) request.Headers.Add("HX-Request", "true");
        return http.SendAsync(request);
    }

    public Task<HttpResponseMessage> SendAsync(HttpRequestMessage request) => http.SendAsync(request);

    /// <summary>The antiforgery token a page carries.</summary>
    public async Task<string> TokenAsync(string pagePath)
    {
        var page = await PageAsync(pagePath);
        return page.QuerySelector("input[name=__RequestVerificationToken]")?.GetAttribute("value") ?? throw new InvalidOperationException($"No antiforgery token on {pagePath}.");
    }

    /// <summary>The fields a browser would submit from <paramref name="form"/>: inputs (checked boxes only), selects and text areas.</summary>
    public static List<KeyValuePair<string, string>> FormValues(IHtmlFormElement form)
    {
        var values = new List<KeyValuePair<string, string>>();
        foreach (var element in form.Elements)
        {
            string? name = element.GetAttribute("name");
            if (string.IsNullOrEmpty(name)) continue;
            switch (element)
            {
                case IHtmlInputElement { Type: "checkbox" or "radio" } box:
                    if (box.IsChecked) values.Add(new(name, box.Value));
                    break;
                case IHtmlInputElement { Type: "submit" or "button" }:
                    break;
                case IHtmlInputElement input:
                    values.Add(new(name, input.Value));
                    break;
                case IHtmlSelectElement select:
                    values.Add(new(name, select.Value ?? ""));
                    break;
                case IHtmlTextAreaElement area:
                    values.Add(new(name, area.Value));
                    break;
            }
        }

        return values;
    }

    public static IHtmlDocument Parse(string html) => Parser.ParseDocument(html);

    /// <summary>A page's visible text with collapsed spaces, for assertions and failure messages.</summary>
    public static string Text(string html) => Text(Parse(html));

    public static string Text(IHtmlDocument document) =>
        System.Text.RegularExpressions.Regex.Replace(document.Body?.TextContent ?? "", @"\s+", " ").Trim();

    public void Dispose() => http.Dispose();
}
