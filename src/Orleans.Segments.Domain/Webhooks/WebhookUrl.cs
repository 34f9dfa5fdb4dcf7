using System.Net;

namespace Orleans.Segments.Domain.Webhooks;

/// <summary>Which URLs a webhook may post to: https, or http to the loopback interface (a receiver on the same machine, as in tests).</summary>
public static class WebhookUrl
{
    public const int MaxLength = 2048;

    /// <summary>Why <paramref name="url"/> cannot be a webhook's address, or null.</summary>
    public static string? Problem(string? url)
    {
        if (string.IsNullOrWhiteSpace(url)) return "required.";
        if (url.Length > MaxLength) return $"at most {MaxLength} characters.";
        // Why: on Linux "/path" parses as an absolute file: URI; it is no more a receiver than a relative one.
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.IsFile || uri.IsUnc) return "not an absolute URL.";
        if (uri.UserInfo.Length > 0) return "no user name or password in the URL (they would be logged); the signature authenticates the sender.";
        if (uri.Fragment.Length > 0) return "no fragment (#...).";
        if (uri.Scheme == Uri.UriSchemeHttps) return null;
        if (uri.Scheme == Uri.UriSchemeHttp && IsLoopback(uri)) return null;
        return uri.Scheme == Uri.UriSchemeHttp
            ? "must be https (plain http is allowed only to the loopback interface, for tests)."
            : $"must be https, not {uri.Scheme}.";
    }

    private static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.DnsSafeHost, out var address) && IPAddress.IsLoopback(address));
}
