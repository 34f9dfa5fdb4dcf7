using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Orleans.Segments.Cluster.Tests.Infrastructure;

namespace Orleans.Segments.Cluster.Tests;

/// <summary>
/// What the server does with its state in Azure Storage (Azurite): an erased user leaves no blob behind, a user
/// whose state is larger than a Table entity may be is stored and read back whole, and every way the settings
/// can be wrong stops the process at start with a message that names the setting.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class AzureStorageTests(AzuriteFixture fixture) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task ErasureRemovesTheUsersBlobAndAnUnknownUserIsNotFound()
    {
        await using var cluster = new SiloSet(RedisFixture.NewClusterId("az-erase"), fixture.Azurite);
        var silo = (await cluster.StartAsync(1, "cohosted", "silo", TimeSpan.FromSeconds(60)))[0];
        var ingestor = new Ingestor([silo.BaseAddress]);
        await ingestor.SendAllAsync(Ingestor.Plan("az-erase", users: 1, eventsPerUser: 3, size: 3), TimeSpan.FromSeconds(30));
        using var http = SegmentsHttp.Client(silo.BaseAddress);
        // Why: Orleans names a grain's blob "<state name>-<grain type>/<key>.json" whatever the serializer writes.
        const string Blob = "profile-user/shop/u/az-erase-user-0.json";
        Assert.Contains(Blob, await fixture.Azurite.StateBlobsAsync());

        using var unknown = await http.SendAsync(Admin(HttpMethod.Delete, "v1/users/az-erase-nobody"));
        using var known = await http.SendAsync(Admin(HttpMethod.Delete, "v1/users/az-erase-user-0"));

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, known.StatusCode);
        Assert.Null(await SegmentsHttp.EventsAppliedAsync(http, "az-erase-user-0"));
        Assert.DoesNotContain(Blob, await fixture.Azurite.StateBlobsAsync());
    }

    [Fact]
    public async Task AStateLargerThanATableEntityIsStoredAndReadBackWholeAfterARestart()
    {
        const int traits = 40;
        const int traitLength = 30_000;
        await using var cluster = new SiloSet(RedisFixture.NewClusterId("az-large"), fixture.Azurite);
        var first = (await cluster.StartAsync(1, "cohosted", "first", TimeSpan.FromSeconds(60)))[0];
        using (var http = SegmentsHttp.Client(first.BaseAddress))
        {
            for (int i = 0; i < traits; i++)
            {
                string value = new((char)('a' + i % 26), traitLength);
                using var request = new HttpRequestMessage(HttpMethod.Post, "v1/identify")
                {
                    Content = new StringContent($$$"""{"userId": "az-large-user", "traits": {"t{{{i}}}": "{{{value}}}"}}""", Encoding.UTF8, "application/json"),
                };
                request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(TestApp.Shop.WriteKey + ":")));
                using var response = await http.SendAsync(request);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
        }

        await first.StopAsync(TimeSpan.FromSeconds(30));
        var second = (await cluster.StartAsync(1, "cohosted", "second", TimeSpan.FromSeconds(60)))[0];
        using var again = SegmentsHttp.Client(second.BaseAddress);
        using var read = await again.SendAsync(Admin(HttpMethod.Get, "v1/users/az-large-user"));
        var profile = JsonNode.Parse(await read.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        var stored = profile["traits"]!.AsObject();
        Assert.Equal(traits, stored.Count);
        for (int i = 0; i < traits; i++)
        {
            Assert.Equal(new string((char)('a' + i % 26), traitLength), (string?)stored[$"t{i}"]);
        }
    }

    [Fact]
    public async Task AWrongAccountKeyStopsTheProcessAtStartSayingTheCredentialsWereRefused()
    {
        string wrongKey = fixture.Azurite.ConnectionString.Replace("AccountKey=Eby8", "AccountKey=AAAA", StringComparison.Ordinal);
        await using var server = SegmentsProcess.StartWith("wrong-key", [$"--Segments:AzureStorage:ConnectionString={wrongKey}", .. Ports()]);

        await AssertFailsQuicklyAsync(server, TimeSpan.FromSeconds(30), "Segments:AzureStorage", "refused the credentials");
    }

    [Fact]
    public async Task AnUnreachableAccountStopsTheProcessWithinTheStartupTimeout()
    {
        int closed = FreePorts.Take(1)[0];
        string unreachable = fixture.Azurite.ConnectionString
            .Replace($":{fixture.Azurite.BlobPort}/", $":{closed}/", StringComparison.Ordinal)
            .Replace($":{fixture.Azurite.TablePort}/", $":{closed}/", StringComparison.Ordinal);
        await using var server = SegmentsProcess.StartWith("unreachable",
            [$"--Segments:AzureStorage:ConnectionString={unreachable}", "--Segments:AzureStorage:StartupTimeout=00:00:03", .. Ports()]);

        await AssertFailsQuicklyAsync(server, TimeSpan.FromSeconds(30), "Segments:AzureStorage", $"127.0.0.1:{closed} could not be used");
    }

    [Theory]
    [InlineData("--Segments:AzureStorage:ConnectionString=AccountName=x;this is no connection string", "Segments:AzureStorage:ConnectionString", "not a valid storage account connection string")]
    [InlineData("--Segments:AzureStorage:MembershipTableName=silos-table", "Segments:AzureStorage:MembershipTableName", "not a table name Azure accepts")]
    [InlineData("--Segments:AzureStorage:ContainerName=State_Container", "Segments:AzureStorage:ContainerName", "not a blob container name Azure accepts")]
    [InlineData("--Segments:Redis:ConnectionString=127.0.0.1:6379", "Both Segments:Redis:ConnectionString and Segments:AzureStorage are set", "exactly one backend")]
    public async Task AWrongSettingStopsTheProcessAtOnceNamingIt(string setting, string name, string problem)
    {
        string[] arguments = setting.Contains("ConnectionString=AccountName", StringComparison.Ordinal)
            ? [setting]
            : [$"--Segments:AzureStorage:ConnectionString={fixture.Azurite.ConnectionString}", setting];
        await using var server = SegmentsProcess.StartWith("wrong-setting", [.. arguments, .. Ports()]);

        await AssertFailsQuicklyAsync(server, TimeSpan.FromSeconds(20), name, problem);
    }

    private static string[] Ports() =>
    [
        "--Segments:Server:AdvertisedAddress=127.0.0.1",
        $"--Segments:Server:SiloPort={FreePorts.Take(1)[0]}",
        $"--Segments:Server:GatewayPort={FreePorts.Take(1)[0]}",
    ];

    private static HttpRequestMessage Admin(HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestApp.Shop.AdminKey);
        return request;
    }

    private static async Task AssertFailsQuicklyAsync(SegmentsProcess server, TimeSpan within, params string[] expected)
    {
        var clock = Stopwatch.StartNew();
        bool exited = await server.WaitForExitAsync(within);
        Assert.True(exited, $"The server was still running after {within.TotalSeconds:0} s:\n{server.Output.Tail()}");
        Assert.NotEqual(0, server.ExitCode);
        foreach (string text in expected)
        {
            Assert.True(server.Output.Contains(text), $"The output does not say '{text}' (exited after {clock.Elapsed.TotalSeconds:0.0} s):\n{server.Output.Tail()}");
        }
    }
}
