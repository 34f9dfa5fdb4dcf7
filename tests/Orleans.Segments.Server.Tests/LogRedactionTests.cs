using System.Net;
using Orleans.Segments.Server.Tests.Infrastructure;

namespace Orleans.Segments.Server.Tests;

/// <summary>Logs are read by more people than the data is: no push token, key or personal trait may appear in them.</summary>
public sealed class LogRedactionTests(LogCapturingServerFixture server) : IClassFixture<LogCapturingServerFixture>
{
    [Fact]
    public async Task NoPushTokenKeyOrTraitAppearsInAnyLogLineDuringARun()
    {
        string userId = TestApps.NewUserId();
        string apns = Tokens.Apns();
        string fcm = Tokens.Fcm();
        string email = $"{Guid.NewGuid():N}@example.com";
        string phone = $"+49{Random.Shared.NextInt64(1_000_000_000, 9_999_999_999)}";

        await server.IngestAcceptedAsync("/v1/identify", $$$"""{"userId":"{{{userId}}}","traits":{"email":"{{{email}}}","phone":"{{{phone}}}"}}""");
        await server.IngestAcceptedAsync("/v1/track", $$$"""{"userId":"{{{userId}}}","event":"Order Completed","properties":{"email":"{{{email}}}"}}""");
        using (var d = await server.AdminAsync(HttpMethod.Put, $"{SegmentsApi.UserPath(userId)}/devices/{apns}", """{"platform":"ios"}""")) await d.ShouldHaveStatusAsync(HttpStatusCode.OK);
        using (var d = await server.AdminAsync(HttpMethod.Put, $"{SegmentsApi.UserPath(userId)}/devices/{Uri.EscapeDataString(fcm)}", """{"platform":"android"}""")) await d.ShouldHaveStatusAsync(HttpStatusCode.OK);
        using (var d = await server.AdminAsync(HttpMethod.Delete, $"{SegmentsApi.UserPath(userId)}/devices/{apns}")) await d.ShouldHaveStatusAsync(HttpStatusCode.NoContent);
        using (var e = await server.AdminAsync(HttpMethod.Get, $"{SegmentsApi.UserPath(userId)}/export")) await e.ShouldHaveStatusAsync(HttpStatusCode.OK);

        // Failures log too: wrong keys, a malformed body, a bad device token, an erasure.
        using (var r = await server.Http.SendAsync(SegmentsApi.Post("/v1/track", "{}").WithWriteKey("wk_wrong_0123456789abcdef"))) { }
        using (var r = await server.Http.SendAsync(SegmentsApi.Post("/v1/track", "{not json").WithWriteKey(TestApps.Shop.WriteKey))) { }
        using (var r = await server.AdminAsync(HttpMethod.Put, $"{SegmentsApi.UserPath(userId)}/devices/{apns}zz", """{"platform":"ios"}""")) { }
        using (var r = await server.AdminAsync(HttpMethod.Delete, SegmentsApi.UserPath(userId))) await r.ShouldHaveStatusAsync(HttpStatusCode.NoContent);

        string[] secrets = [apns, fcm, email, phone, TestApps.Shop.WriteKey, TestApps.Shop.AdminKey, TestApps.Other.WriteKey, TestApps.Other.AdminKey,
            TestApps.OperatorKey, "wk_wrong_0123456789abcdef"];
        var lines = server.Logs.Lines.ToList();
        Assert.True(lines.Count > 10, $"Only {lines.Count} log lines were captured: the capture is not working.");
        var leaks = lines.SelectMany(line => secrets.Where(s => line.Contains(s, StringComparison.Ordinal)).Select(s => $"'{s}' in: {line}")).ToList();
        Assert.True(leaks.Count == 0, string.Join("\n", leaks.Take(10)));
    }
}
