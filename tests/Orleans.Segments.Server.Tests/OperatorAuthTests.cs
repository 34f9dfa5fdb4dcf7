using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Orleans.Segments.Server.Tests.Infrastructure;

namespace Orleans.Segments.Server.Tests;

/// <summary>The dashboard shows every app's grains, so only the operator key opens it; an app's admin key does not.</summary>
[Collection(ServerCollection.Name)]
public sealed class OperatorAuthTests(ServerFixture server)
{
    [Fact]
    public async Task DashboardWithoutCredentialsAsksForBasicAuthentication()
    {
        using var response = await server.Http.GetAsync("/dashboard");

        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("Basic", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task DashboardRefusesAnAppsAdminKey()
    {
        using var bearer = await Get("/dashboard", new AuthenticationHeaderValue("Bearer", TestApps.Shop.AdminKey));
        using var basic = await Get("/dashboard", Basic("admin", TestApps.Shop.AdminKey));

        Assert.Equal(HttpStatusCode.Unauthorized, bearer.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, basic.StatusCode);
    }

    [Fact]
    public async Task DashboardOpensWithTheOperatorKeyAsBasicPasswordOrBearer()
    {
        // Why: "/dashboard/" itself, as HttpClient drops credentials when it follows the redirect from "/dashboard".
        using var basic = await Get("/dashboard/", Basic("operator", TestApps.OperatorKey));
        using var bearer = await Get("/dashboard/", new AuthenticationHeaderValue("Bearer", TestApps.OperatorKey));

        await basic.ShouldHaveStatusAsync(HttpStatusCode.OK);
        await bearer.ShouldHaveStatusAsync(HttpStatusCode.OK);
    }

    private async Task<HttpResponseMessage> Get(string path, AuthenticationHeaderValue authorization)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = authorization;
        return await server.Http.SendAsync(request);
    }

    private static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
}
