using System.Net;
using Orleans.Segments.Server.Tests.Infrastructure;

namespace Orleans.Segments.Server.Tests;

/// <summary>A server told that a TLS proxy stands in front of it.</summary>
public sealed class ProxiedServerFixture : ServerFixture
{
    protected override IEnumerable<string> ExtraArguments => ["--Segments:Server:TrustForwardedHeaders=true"];
}

/// <summary>
/// Behind a proxy that terminates TLS the console's cookies must still be Secure: with TrustForwardedHeaders the
/// server takes the scheme from X-Forwarded-Proto; without it the header is ignored (a client could send it).
/// </summary>
public sealed class ConsoleBehindProxyTests(ProxiedServerFixture proxied, ServerFixture direct) : IClassFixture<ProxiedServerFixture>, IClassFixture<ServerFixture>
{
    private static async Task<string> SessionCookieAsync(ServerFixture server, bool forwardedHttps)
    {
        using var session = new ConsoleSession(server.BaseAddress);
        string token = await session.TokenAsync("/console/login");
        var request = new HttpRequestMessage(HttpMethod.Post, "/console/login")
        {
            Content = new FormUrlEncodedContent([new("key", TestApps.Shop.AdminKey), new("__RequestVerificationToken", token)]),
        };
        if (forwardedHttps) request.Headers.Add("X-Forwarded-Proto", "https");
        using var response = await session.SendAsync(request);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("segments-console=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CookiesAreSecureWhenTheTrustedProxySaysTheRequestCameOverHttps()
    {
        Assert.Contains("secure", await SessionCookieAsync(proxied, forwardedHttps: true), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secure", await SessionCookieAsync(proxied, forwardedHttps: false), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secure", await SessionCookieAsync(direct, forwardedHttps: true), StringComparison.OrdinalIgnoreCase);
    }
}
