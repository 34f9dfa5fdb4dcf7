using System.Net;
using System.Text.RegularExpressions;
using Orleans.Segments.Cluster.Tests.Infrastructure;

namespace Orleans.Segments.Cluster.Tests;

/// <summary>Silo-only processes hold the grains; a gateway (an Orleans client) serves the API in front of them.</summary>
public abstract class RoleTests(IStorageServer storage)
{
    [Fact]
    public async Task GatewayServesTheApiOfTwoSiloOnlyProcessesThatServeNoApiThemselves()
    {
        await using var cluster = new SiloSet(RedisFixture.NewClusterId("roles"), storage);
        var silos = await cluster.StartAsync(2, "silo", "silo", TimeSpan.FromSeconds(60));
        var gateway = (await cluster.StartAsync(1, "gateway", "gateway", TimeSpan.FromSeconds(60)))[0];

        var ingestor = new Ingestor([gateway.BaseAddress]);
        await ingestor.SendAllAsync(Ingestor.Plan("roles", users: 10, eventsPerUser: 5, size: 10), TimeSpan.FromSeconds(30));
        using var http = SegmentsHttp.Client(gateway.BaseAddress);
        foreach (var (userId, expected) in ingestor.Acknowledged)
        {
            Assert.Equal(expected, await SegmentsHttp.EventsAppliedAsync(http, userId));
        }

        using var siloHttp = SegmentsHttp.Client(silos[0].BaseAddress);
        using var response = await siloHttp.SendAsync(SegmentsHttp.Batch([("roles-user-0", "roles-extra")]));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    /// <summary>
    /// Behind a load balancer a manager's requests land on any process: the session cookie made by one and the
    /// antiforgery token of a page of another are accepted by a third, because the keys protecting them are kept
    /// in the cluster's backend.
    /// </summary>
    [Fact]
    public async Task ConsoleSessionAndFormsWorkOnEveryProcessOfTheCluster()
    {
        await using var cluster = new SiloSet(RedisFixture.NewClusterId("console"), storage);
        var processes = await cluster.StartAsync(2, "cohosted", "web", TimeSpan.FromSeconds(60));
        var (a, b) = (processes[0].BaseAddress, processes[1].BaseAddress);
        var cookies = new CookieContainer();
        using var http = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(30) };

        string loginToken = Token(await http.GetStringAsync(new Uri(a, "/console/login")));
        using var signIn = await http.PostAsync(new Uri(a, "/console/login"), new FormUrlEncodedContent([new("key", TestApp.Shop.AdminKey), new("__RequestVerificationToken", loginToken)]));
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);

        using var settings = await http.GetAsync(new Uri(b, "/console/settings"));
        Assert.Equal(HttpStatusCode.OK, settings.StatusCode);
        Assert.Contains("Settings of shop", await settings.Content.ReadAsStringAsync());

        string segment = $"console-{Guid.NewGuid():N}"[..20];
        string editToken = Token(await http.GetStringAsync(new Uri(b, "/console/segments/edit")));
        using var save = await http.PostAsync(new Uri(a, "/console/segments/edit"), new FormUrlEncodedContent([new("id", segment), new("rule", "stage = \"new\""), new("__RequestVerificationToken", editToken)]));
        Assert.Equal(HttpStatusCode.Redirect, save.StatusCode);
        Assert.Equal($"/console/segments/{segment}", save.Headers.Location!.OriginalString);

        using var api = SegmentsHttp.Client(b);
        var stored = await SegmentsHttp.AdminAsync(api, HttpMethod.Get, $"v1/segments/{segment}");
        Assert.Equal("stage = \"new\"", (string?)stored!["rule"]);

        // Why: on one machine ASP.NET's default key folder is shared too; the keys must be in the backend.
        Assert.True(await storage.ConsoleKeysAsync() >= 1, $"{storage.Name} holds no console keys");
    }

    private static string Token(string html) =>
        Regex.Match(html, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value is { Length: > 0 } token
            ? token
            : throw new InvalidOperationException("The page carries no antiforgery token.");
}

[Collection(ProcessCollection.Name)]
public sealed class RedisRoleTests(RedisFixture fixture) : RoleTests(fixture.Redis), IClassFixture<RedisFixture>;

[Collection(ProcessCollection.Name)]
public sealed class AzureStorageRoleTests(AzuriteFixture fixture) : RoleTests(fixture.Azurite), IClassFixture<AzuriteFixture>;
