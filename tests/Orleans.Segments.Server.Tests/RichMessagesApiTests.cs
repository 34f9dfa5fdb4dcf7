using System.Net;
using System.Text.Json.Nodes;
using Orleans.Segments.Server.Tests.Infrastructure;

namespace Orleans.Segments.Server.Tests;

/// <summary>Rich (image, buttons, category, badge, thread, channel) and silent campaign messages over HTTP, and every way they can be wrong.</summary>
[Collection(ServerCollection.Name)]
public sealed class RichMessagesApiTests(ServerFixture server)
{
    private static string NewId(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}";

    private static string Campaign(string message, string category = "marketing") =>
        $$$"""{"category": "{{{category}}}", "trigger": {"type": "event", "event": "Catalog Updated"}, "message": {{{message}}}}""";

    [Fact]
    public async Task ARichMessageRoundTripsAndASilentOneIsDataOnly()
    {
        string id = NewId("rich");
        using var put = await server.AdminAsync(HttpMethod.Put, $"/v1/campaigns/{id}", Campaign("""
            {"title": "New arrivals", "body": "Spring shoes", "image": "https://cdn.example.com/spring.jpg",
             "buttons": [{"id": "buy", "title": "Buy <b>now</b>", "deepLink": "shop://buy"}, {"id": "later", "title": "Later"}],
             "actionCategory": "SHOP_ACTIONS", "badge": 0, "threadId": "arrivals", "channelId": "news"}
            """));
        var created = JsonNode.Parse(await put.ShouldHaveStatusAsync(HttpStatusCode.Created))!["definition"]!;
        var message = created["message"]!;

        Assert.Equal("https://cdn.example.com/spring.jpg", (string?)message["image"]);
        Assert.Equal("Buy <b>now</b>", (string?)message["buttons"]![0]!["title"]);
        Assert.Equal("shop://buy", (string?)message["buttons"]![0]!["deepLink"]);
        Assert.Equal(("SHOP_ACTIONS", 0, "arrivals", "news"), ((string?)message["actionCategory"], (int)message["badge"]!, (string?)message["threadId"], (string?)message["channelId"]));
        using var again = await server.AdminAsync(HttpMethod.Put, $"/v1/campaigns/{id}", created.ToJsonString());
        Assert.Equal(created.ToJsonString(), JsonNode.Parse(await again.ShouldHaveStatusAsync(HttpStatusCode.OK))!["definition"]!.ToJsonString());

        string silent = NewId("sync");
        using var putSilent = await server.AdminAsync(HttpMethod.Put, $"/v1/campaigns/{silent}", Campaign("""{"data": {"sync": "catalog"}}""", "silent"));
        var silentDefinition = JsonNode.Parse(await putSilent.ShouldHaveStatusAsync(HttpStatusCode.Created))!["definition"]!;
        Assert.Equal("silent", (string?)silentDefinition["category"]);
        Assert.Null(silentDefinition["message"]!["title"]);
        using var list = await server.AdminAsync(HttpMethod.Get, "/v1/campaigns");
        Assert.Contains(JsonNode.Parse(await list.ShouldHaveStatusAsync(HttpStatusCode.OK))!["campaigns"]!.AsArray(), c => (string?)c!["id"] == silent && (string?)c["category"] == "silent");
    }

    [Theory]
    [InlineData("""{"title": "t", "image": "http://cdn.example.com/a.jpg"}""", "message.image: an absolute https URL")]
    [InlineData("""{"title": "t", "image": "javascript:alert(1)"}""", "message.image: an absolute https URL")]
    [InlineData("""{"title": "t", "image": 5}""", "message.image: must be a string.")]
    [InlineData("""{"title": "t", "buttons": [{"id": "a", "title": "A"}, {"id": "b", "title": "B"}, {"id": "c", "title": "C"}, {"id": "d", "title": "D"}, {"id": "e", "title": "E"}]}""", "message.buttons: at most 4")]
    [InlineData("""{"title": "t", "buttons": [{"id": "a"}]}""", "message.buttons[0].title: required.")]
    [InlineData("""{"title": "t", "buttons": [null]}""", "message.buttons[0]: must be an object")]
    [InlineData("""{"title": "t", "buttons": [{"id": "a", "title": "A", "icon": "x"}]}""", "message.buttons[0].icon")]
    [InlineData("""{"title": "t", "buttons": [{"id": "<a>", "title": "A"}]}""", "message.buttons[0].id: 1 to 64")]
    [InlineData("""{"title": "t", "badge": -1}""", "message.badge: 0 (clears it) to 99999.")]
    [InlineData("""{"title": "t", "badge": "3"}""", "message.badge: must be an integer.")]
    [InlineData("""{"title": "t", "actionCategory": "two words"}""", "message.actionCategory: 1 to 64")]
    [InlineData("""{"title": "t", "data": {"buttons": "x"}}""", "message.data.buttons: reserved")]
    public async Task AWrongRichFieldIsRefusedWithItsPath(string message, string expected)
    {
        using var response = await server.AdminAsync(HttpMethod.Put, $"/v1/campaigns/{NewId("bad")}", Campaign(message));
        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);

        Assert.True(problem.Errors.Any(e => e.StartsWith(expected, StringComparison.Ordinal)), $"'{expected}' is not among: {string.Join(" | ", problem.Errors)}");
    }

    [Fact]
    public async Task AnImageUrlOverTwoKilobytesIsRefused()
    {
        string url = "https://cdn.example.com/" + new string('a', 2100);
        using var response = await server.AdminAsync(HttpMethod.Put, $"/v1/campaigns/{NewId("bad")}", Campaign($$$"""{"title": "t", "image": "{{{url}}}"}"""));

        Assert.Contains((await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).Errors, e => e.StartsWith("message.image: at most", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""{"title": "Sale", "data": {"sync": "x"}}""")]
    [InlineData("""{"data": {"sync": "x"}, "badge": 1}""")]
    [InlineData("""{"data": {"sync": "x"}, "sound": "default"}""")]
    [InlineData("""{"data": {"sync": "x"}, "translations": {"de": {"title": "t", "body": "b"}}}""")]
    public async Task ASilentMessageThatWouldShowSomethingIsRefused(string message)
    {
        using var response = await server.AdminAsync(HttpMethod.Put, $"/v1/campaigns/{NewId("bad")}", Campaign(message, "silent"));

        Assert.Contains((await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).Errors, e => e.StartsWith("message: a silent push shows nothing", StringComparison.Ordinal));
    }
}
