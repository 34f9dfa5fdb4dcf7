using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Segments.Cluster.Tests.Infrastructure;
using Orleans.Segments.Domain.Profile;
using Orleans.Segments.Hosting;
using Orleans.Segments.Segments;
using Orleans.Serialization;
using StackExchange.Redis;

namespace Orleans.Segments.Cluster.Tests;

/// <summary>What the API does with state kept in Redis rather than in memory: erasure, state across a restart, formats.</summary>
[Collection(ProcessCollection.Name)]
public sealed class RedisStateTests(RedisFixture fixture) : IClassFixture<RedisFixture>
{
    [Fact]
    public async Task ErasureOnRedisRemovesTheUserForGoodAndAnUnknownUserIsNotFound()
    {
        await using var cluster = new SiloSet(RedisFixture.NewClusterId("erase"), fixture.Redis);
        var silo = (await cluster.StartAsync(1, "cohosted", "silo", TimeSpan.FromSeconds(60)))[0];
        var ingestor = new Ingestor([silo.BaseAddress]);
        await ingestor.SendAllAsync(Ingestor.Plan("erase", users: 1, eventsPerUser: 3, size: 3), TimeSpan.FromSeconds(30));
        using var http = SegmentsHttp.Client(silo.BaseAddress);

        using var unknown = await http.SendAsync(Admin(HttpMethod.Delete, "v1/users/erase-nobody"));
        using var known = await http.SendAsync(Admin(HttpMethod.Delete, "v1/users/erase-user-0"));

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, known.StatusCode);
        Assert.Null(await SegmentsHttp.EventsAppliedAsync(http, "erase-user-0"));
        Assert.Equal("0", await fixture.Redis.CommandAsync("EXISTS", $"orleans-segments/state/user/shop/u/erase-user-0/profile"));
    }

    [Fact]
    public async Task AProfileAndDirectoryPageStoredOnRedisInTheEarlierFormatLoadAfterARestartAndAreRewrittenInTheNewOne()
    {
        const string user = "format-user-0", key = $"orleans-segments/state/user/shop/u/{user}/profile";
        await using (var before = new SiloSet(RedisFixture.NewClusterId("format"), fixture.Redis))
        {
            var silo = (await before.StartAsync(1, "cohosted", "silo", TimeSpan.FromSeconds(60)))[0];
            await new Ingestor([silo.BaseAddress]).SendAllAsync(Ingestor.Plan("format", users: 1, eventsPerUser: 3, size: 3), TimeSpan.FromSeconds(30));
        }

        // Why: the record is rewritten as the engine stored profiles before the tagged format (Orleans' binary
        // format of the same profile), with the silo stopped, as after an upgrade.
        using var redis = await ConnectionMultiplexer.ConnectAsync(fixture.Redis.ConnectionString);
        var db = redis.GetDatabase();
        byte[] written = (byte[])(await db.HashGetAsync(key, "data"))!;
        var orleans = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();
        await db.HashSetAsync(key, "data", orleans.SerializeToArray(StoredStateFormat.Read<UserProfileState>(orleans, written)));

        // Why: the user's directory page (snapshot and log) likewise, so that the page grain must read the earlier
        // format after the restart and write the tagged one when it registers another user.
        var server = redis.GetServer(redis.GetEndPoints()[0]);
        string? page = null;
        foreach (string candidate in server.Keys(pattern: "orleans-segments/state/userdirectorypage/*/directory-page-log").Select(k => ((string)k!)[..^"-log".Length]))
        {
            if ((await DirectoryPage(db, orleans, candidate)).Contains(user)) page = candidate;
        }

        Assert.NotNull(page);
        var pageWritten = new List<byte[]>();
        foreach (string record in new[] { page, page + "-log" })
        {
            if (await db.HashGetAsync(record, "data") is not { IsNull: false } stored) continue;
            pageWritten.Add((byte[])stored!);
            await db.HashSetAsync(record, "data", record.EndsWith("-log", StringComparison.Ordinal)
                ? orleans.SerializeToArray(StoredStateFormat.Read<ChangeLog<UserDirectoryChange>>(orleans, (byte[])stored!))
                : orleans.SerializeToArray(StoredStateFormat.Read<UserDirectoryPageState>(orleans, (byte[])stored!)));
        }

        await using var after = new SiloSet(RedisFixture.NewClusterId("format"), fixture.Redis);
        var restarted = (await after.StartAsync(1, "cohosted", "silo", TimeSpan.FromSeconds(60)))[0];
        using var http = SegmentsHttp.Client(restarted.BaseAddress);
        long? appliedAfterRestart = await SegmentsHttp.EventsAppliedAsync(http, user);
        using var more = await http.SendAsync(SegmentsHttp.Batch([(user, "format-after-restart")]));
        byte[] rewritten = (byte[])(await db.HashGetAsync(key, "data"))!;
        string neighbour = Enumerable.Range(1, 10_000).Select(i => $"format-user-{i}").First(u => UserDirectoryGrain.ShardOf(u) == UserDirectoryGrain.ShardOf(user));
        using var registered = await http.SendAsync(SegmentsHttp.Batch([(neighbour, "format-neighbour")]));
        var pageAfter = await DirectoryPage(db, orleans, page);

        Assert.True(StoredStateFormat.IsTagged(written));
        Assert.Equal(3, appliedAfterRestart);
        Assert.Equal(HttpStatusCode.OK, more.StatusCode);
        Assert.Equal(4, await SegmentsHttp.EventsAppliedAsync(http, user));
        Assert.True(StoredStateFormat.IsTagged(rewritten));
        Assert.NotEmpty(pageWritten);
        Assert.All(pageWritten, bytes => Assert.True(StoredStateFormat.IsTagged(bytes)));
        Assert.Equal(HttpStatusCode.OK, registered.StatusCode);
        Assert.Contains(user, pageAfter);
        Assert.Contains(neighbour, pageAfter);
        Assert.True(StoredStateFormat.IsTagged((byte[])(await db.HashGetAsync(page + "-log", "data"))!));
    }

    /// <summary>The users of a directory page as stored: its snapshot with its log replayed, in either format.</summary>
    private static async Task<HashSet<string>> DirectoryPage(IDatabase db, Serializer orleans, string page)
    {
        var users = new HashSet<string>(StringComparer.Ordinal);
        if (await db.HashGetAsync(page, "data") is { IsNull: false } snapshot) users.UnionWith(StoredStateFormat.Read<UserDirectoryPageState>(orleans, (byte[])snapshot!)!.Users);
        if (await db.HashGetAsync(page + "-log", "data") is { IsNull: false } log)
        {
            foreach (var change in StoredStateFormat.Read<ChangeLog<UserDirectoryChange>>(orleans, (byte[])log!)!.Changes)
            {
                if (change.Present) users.Add(change.UserId);
                else users.Remove(change.UserId);
            }
        }

        return users;
    }

    private static HttpRequestMessage Admin(HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestApp.Shop.AdminKey);
        return request;
    }
}
