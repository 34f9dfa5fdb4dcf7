using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Orleans.Segments.Server.Tests.Infrastructure;

namespace Orleans.Segments.Server.Tests;

/// <summary>Bulk imports over HTTP: NDJSON and CSV streamed line by line, refused lines named by number, good ones kept, resumed by import id.</summary>
[Collection(ServerCollection.Name)]
public sealed class ImportsApiTests(ServerFixture server)
{
    private static string NewId(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}";

    private async Task<(HttpStatusCode Status, JsonNode? Body, string Text)> ImportAsync(byte[] body, string mediaType, string? importId = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/users/import" + (importId is null ? "" : $"?importId={importId}")).WithBearer(TestApps.Shop.AdminKey);
        request.Content = new ByteArrayContent(body);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        using var response = await server.Http.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, response.StatusCode == HttpStatusCode.OK ? JsonNode.Parse(text) : null, text);
    }

    private static byte[] Lines(params string[] lines) => Encoding.UTF8.GetBytes(string.Join("\n", lines) + "\n");

    [Fact]
    public async Task NdjsonLinesAreAppliedWholeOrRefusedWithTheirNumbersAndTheGoodOnesKept()
    {
        string ada = TestApps.NewUserId(), bob = TestApps.NewUserId(), eve = TestApps.NewUserId();
        string token = Tokens.Apns();
        var (status, answer, text) = await ImportAsync(Lines(
            $$$"""{"userId": "{{{ada}}}", "traits": {"first_name": "Ada", "plan": "pro", "orders": 12}, "devices": [{"token": "{{{token}}}", "platform": "ios"}], "consents": {"marketing": true, "transactional": true}, "firstSeen": "2025-01-15T10:00:00Z", "lastSeen": "2026-02-20T08:00:00Z"}""",
            """{"userId": "broken", "traits": {""",
            $$$"""{"userId": "{{{bob}}}", "traits": {"bio": "<script>alert(1)</script>"}}""",
            $$$"""{"userId": "{{{eve}}}", "devices": [{"token": "xyz", "platform": "ios"}]}""",
            """{"userId": "x", "nickname": "unknown field"}""",
            "",
            """["not", "an", "object"]"""), "application/x-ndjson");

        Assert.True(status == HttpStatusCode.OK, text);
        Assert.Equal(("completed", 7L, 2L, 2L, 4L), ((string?)answer!["status"], (long)answer["linesDone"]!, (long)answer["imported"]!, (long)answer["created"]!, (long)answer["failed"]!));
        var errors = answer["errors"]!.AsArray().Select(e => ((long)e!["line"]!, (string)e["error"]!)).ToList();
        Assert.Equal([2L, 4L, 5L, 7L], errors.Select(e => e.Item1));
        Assert.StartsWith("not JSON", errors[0].Item2);
        Assert.StartsWith("devices[0].token", errors[1].Item2);
        Assert.StartsWith("nickname: not a field", errors[2].Item2);
        using var eveProfile = await server.AdminAsync(HttpMethod.Get, SegmentsApi.UserPath(eve));
        Assert.Equal(HttpStatusCode.NotFound, eveProfile.StatusCode); // never a partial user

        var profile = await server.GetUserAsync(ada);
        Assert.Equal("Ada", (string?)profile["traits"]!["first_name"]);
        Assert.Equal(12, (double)profile["traits"]!["orders"]!);
        Assert.True((bool)profile["subscriptions"]!["marketing"]!);
        Assert.Single(profile["devices"]!.AsArray());
        Assert.StartsWith("2025-01-15T10:00:00", (string?)profile["activity"]!["firstSeen"]);
        Assert.StartsWith("2026-02-20T08:00:00", (string?)profile["activity"]!["lastSeen"]);
        Assert.Equal("<script>alert(1)</script>", (string?)(await server.GetUserAsync(bob))["traits"]!["bio"]);
    }

    [Fact]
    public async Task AnInterruptedImportSentAgainWithItsIdResumesWithoutDoingLinesTwice()
    {
        string importId = NewId("resume");
        string prefix = Guid.NewGuid().ToString("N")[..8];
        var lines = Enumerable.Range(0, 2500).Select(i => $$$"""{"userId": "imp-{{{prefix}}}-{{{i}}}", "traits": {"n": {{{i}}}}}""").ToArray();
        // Why: the first request ends after 1,200 lines, as a dropped connection would; the client then sends the whole file again.
        var (_, first, _) = await ImportAsync(Lines(lines[..1200]), "application/x-ndjson", importId);
        var (_, again, _) = await ImportAsync(Lines(lines), "application/x-ndjson", importId);
        using var progress = await server.AdminAsync(HttpMethod.Get, $"/v1/users/imports/{importId}");
        var view = JsonNode.Parse(await progress.ShouldHaveStatusAsync(HttpStatusCode.OK))!;

        Assert.Equal(1200, (long)first!["imported"]!);
        Assert.Equal(1200, (long)again!["resumedAfter"]!);
        Assert.Equal((2500L, 2500L, 2500L), ((long)again["linesDone"]!, (long)again["imported"]!, (long)again["created"]!));
        Assert.Equal("completed", (string?)view["status"]);
        Assert.Equal(2499, (double)(await server.GetUserAsync($"imp-{prefix}-2499"))["traits"]!["n"]!);
    }

    [Fact]
    public async Task CsvWithQuotedFieldsIsImportedAndABadRowIsNamed()
    {
        string ada = TestApps.NewUserId(), bob = TestApps.NewUserId();
        string csv = $"userId,traits.first_name,traits.address,traits.vip,deviceToken,devicePlatform,marketing,lastSeen\n" +
            $"{ada},Ada,\"1 Main St, Springfield\nUSA\",true,{Tokens.Apns()},ios,true,2026-02-01T00:00:00Z\n" +
            $"{bob},Bob,,false,,,maybe,\n";
        var (status, answer, text) = await ImportAsync(Encoding.UTF8.GetBytes(csv), "text/csv");

        Assert.True(status == HttpStatusCode.OK, text);
        Assert.Equal((1L, 1L), ((long)answer!["imported"]!, (long)answer["failed"]!));
        Assert.StartsWith("marketing: true or false", (string?)answer["errors"]![0]!["error"]);
        var profile = await server.GetUserAsync(ada);
        Assert.Equal("1 Main St, Springfield\nUSA", (string?)profile["traits"]!["address"]);
        Assert.True((bool)profile["traits"]!["vip"]!);
    }

    [Theory]
    [InlineData("text/csv", "userId,nickname\nu1,x\n", "nickname")]
    [InlineData("text/csv", "first_name\nAda\n", "userId column")]
    [InlineData("text/csv", "", "empty")]
    public async Task ABadCsvHeaderRefusesTheWholeImport(string mediaType, string body, string expected)
    {
        var (status, _, text) = await ImportAsync(Encoding.UTF8.GetBytes(body), mediaType);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(expected, text);
    }

    [Fact]
    public async Task HostileLinesAreRefusedOneByOneAndTheRestImported()
    {
        string ok = TestApps.NewUserId(), after = TestApps.NewUserId();
        var body = new List<byte>();
        body.AddRange(Encoding.UTF8.GetBytes($$$"""{"userId": "{{{ok}}}"}""" + "\n"));
        body.AddRange(Encoding.UTF8.GetBytes("{\"userId\": \"big\", \"traits\": {\"x\": \"" + new string('x', 70_000) + "\"}}\n"));
        body.AddRange([(byte)'{', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)':', (byte)'1', (byte)'}', (byte)'\n']);
        body.AddRange(Encoding.UTF8.GetBytes(new string('[', 100) + new string(']', 100) + "\n"));
        body.AddRange(Encoding.UTF8.GetBytes($$$"""{"userId": "{{{after}}}"}"""));
        var (status, answer, text) = await ImportAsync([.. body], "application/x-ndjson");
        using var unsupported = await server.Http.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/v1/users/import")
        {
            Content = new StringContent("{}", Encoding.UTF8, "application/json"),
        }.WithBearer(TestApps.Shop.AdminKey));

        Assert.True(status == HttpStatusCode.OK, text);
        Assert.Equal((2L, 3L), ((long)answer!["imported"]!, (long)answer["failed"]!));
        var errors = answer["errors"]!.AsArray().Select(e => ((long)e!["line"]!, (string)e["error"]!)).ToList();
        Assert.Equal([2L, 3L, 4L], errors.Select(e => e.Item1));
        Assert.Contains("longer than 65536 bytes", errors[0].Item2);
        Assert.Contains("not UTF-8", errors[1].Item2);
        Assert.StartsWith("not JSON", errors[2].Item2);
        await server.GetUserAsync(after);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, unsupported.StatusCode);
    }

    [Fact]
    public async Task AnImportTriggersNoCampaign()
    {
        string cohort = Guid.NewGuid().ToString("N")[..10];
        string segment = NewId("impseg");
        await server.PutSegmentAsync(segment, $"trait(\"cohort\") = \"{cohort}\"");
        string campaign = NewId("impwelcome");
        using (var put = await server.AdminAsync(HttpMethod.Put, $"/v1/campaigns/{campaign}", $$$"""
            {"category": "transactional", "trigger": {"type": "segment_entry", "segment": "{{{segment}}}"}, "message": {"title": "Welcome", "body": "x"}}
            """)) await put.ShouldHaveStatusAsync(HttpStatusCode.Created);
        using (var launch = await server.AdminAsync(HttpMethod.Post, $"/v1/campaigns/{campaign}/launch")) await launch.ShouldHaveStatusAsync(HttpStatusCode.OK);
        string user = TestApps.NewUserId();

        var (status, _, _) = await ImportAsync(Lines($$$"""{"userId": "{{{user}}}", "traits": {"cohort": "{{{cohort}}}"}, "devices": [{"token": "{{{Tokens.Apns()}}}", "platform": "ios"}]}"""), "application/x-ndjson");
        var profile = await server.GetUserAsync(user);
        using var log = await server.AdminAsync(HttpMethod.Get, $"{SegmentsApi.UserPath(user)}/messages");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains(segment, profile.SegmentIds());
        Assert.Empty(JsonNode.Parse(await log.ShouldHaveStatusAsync(HttpStatusCode.OK))!["messages"]!.AsArray());
    }
}
