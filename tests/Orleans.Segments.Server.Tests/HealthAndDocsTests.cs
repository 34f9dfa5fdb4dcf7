using System.Net;
using System.Text.Json.Nodes;
using Orleans.Segments.Server.Tests.Infrastructure;

namespace Orleans.Segments.Server.Tests;

/// <summary>What operators and developers open in a browser or point a probe at.</summary>
[Collection(ServerCollection.Name)]
public sealed class HealthAndDocsTests(ServerFixture server)
{
    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task HealthEndpointIsHealthy(string path)
    {
        using var response = await server.Http.GetAsync(path);
        Assert.Equal("Healthy", await response.ShouldHaveStatusAsync(HttpStatusCode.OK));
    }

    [Fact]
    public async Task OpenApiDocumentDescribesTheTrackingAndUsersApis()
    {
        using var response = await server.Http.GetAsync("/openapi/v1.json");
        var document = JsonNode.Parse(await response.ShouldHaveStatusAsync(HttpStatusCode.OK))!;

        var paths = document["paths"]!.AsObject();
        Assert.True(paths.ContainsKey("/v1/batch"), $"The OpenAPI paths are: {string.Join(", ", paths.Select(p => p.Key))}");
        Assert.True(paths.ContainsKey("/v1/track"));
        Assert.True(paths.ContainsKey("/v1/users/{userId}"));
    }

    [Fact]
    public async Task ScalarReferenceIsServed()
    {
        using var response = await server.Http.GetAsync("/scalar");
        string body = await response.ShouldHaveStatusAsync(HttpStatusCode.OK);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("openapi/v1.json", body);
    }

    [Fact]
    public async Task RootRedirectsToTheConsoleWhichAsksToSignIn()
    {
        using var response = await server.Http.GetAsync("/");
        await response.ShouldHaveStatusAsync(HttpStatusCode.OK);
        Assert.Equal("/console/login", response.RequestMessage!.RequestUri!.AbsolutePath);
    }

    [Fact]
    public async Task OrleansDashboardIsServedToTheOperator()
    {
        using var response = await server.Http.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/dashboard/").WithBearer(TestApps.OperatorKey));
        await response.ShouldHaveStatusAsync(HttpStatusCode.OK);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
    }
}
