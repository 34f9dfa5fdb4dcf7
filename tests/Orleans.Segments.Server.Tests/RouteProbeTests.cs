using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Orleans.Segments.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Orleans.Segments.Server.Tests;

/// <summary>
/// Every route the server maps, probed with no key and with another app's keys: no key is a 401, a key of the
/// wrong role a 403 (a console page sends every one of them to the sign-in page), and nothing the shop holds (a trait, a push token, a segment, a geofence) ever comes back
/// or changes. New routes are probed without anyone remembering to add them.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class RouteProbeTests(ServerFixture server, ITestOutputHelper output)
{
    [Fact]
    public async Task EveryRouteRefusesCallersWithoutAKeyOrWithAnotherAppsKeyAndLeaksNothing()
    {
        var shop = await ShopDataAsync();
        var routes = MappedRoute.All(server.Services).Where(r => !r.IsPublic).ToList();
        Assert.Contains(routes, r => r.Pattern == "/v1/users/{userId}/export");
        Assert.Contains(routes, r => r.IsOperator);

        var failures = new List<string>();
        foreach (var route in routes)
        {
            string path = route.Path((name, pattern) => shop.ValueFor(name, pattern));
            foreach (var (caller, authorization) in Callers())
            {
                using var request = new HttpRequestMessage(new HttpMethod(route.Method), path);
                request.Headers.Authorization = authorization(route);
                if (route.HasBody) request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
                using var response = await server.Http.SendAsync(request);
                string body = await response.Content.ReadAsStringAsync();
                int status = (int)response.StatusCode;

                if (route.IsConsole)
                {
                    // Why: an API key is not a console session; every console page sends the caller to sign in.
                    string landed = response.RequestMessage!.RequestUri!.AbsolutePath;
                    if (landed != "/console/login") failures.Add($"{route} as {caller}: {status} at {landed}, expected the sign-in page");
                }

                int? expected = route.IsConsole ? null : caller switch
                {
                    "no key" => 401,
                    _ when route.IsOperator => 401,
                    "other app's write key" when !route.IsIngestion => 403,
                    "other app's admin key" when route.IsIngestion => 403,
                    _ => null,
                };
                if (expected is { } e && status != e) failures.Add($"{route} as {caller}: {status}, expected {e}");
                if (status >= 500) failures.Add($"{route} as {caller}: {status}");
                foreach (string secret in shop.Secrets)
                {
                    if (body.Contains(secret, StringComparison.Ordinal)) failures.Add($"{route} as {caller}: the answer shows the shop's '{secret}'");
                }
            }
        }

        output.WriteLine($"probed {routes.Count} routes: {string.Join(", ", routes)}");
        Assert.True(failures.Count == 0, string.Join('\n', failures));
        await shop.AssertUnchangedAsync(server);
    }

    private static IEnumerable<(string Name, Func<MappedRoute, AuthenticationHeaderValue?> Authorization)> Callers() =>
    [
        ("no key", _ => null),
        ("other app's write key", r => r.IsIngestion
            ? new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(TestApps.Other.WriteKey + ":")))
            : new AuthenticationHeaderValue("Bearer", TestApps.Other.WriteKey)),
        ("other app's admin key", r => r.IsIngestion
            ? new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(TestApps.Other.AdminKey + ":")))
            : new AuthenticationHeaderValue("Bearer", TestApps.Other.AdminKey)),
    ];

    private async Task<ShopData> ShopDataAsync()
    {
        string marker = Guid.NewGuid().ToString("N");
        var data = new ShopData(TestApps.NewUserId(), Tokens.Apns(), $"seg-{marker[..12]}", $"fence-{marker[..12]}", $"trait-{marker}", $"Segment {marker}", $"Fence {marker}");
        await server.IngestAcceptedAsync("/v1/identify", $$$"""{"userId":"{{{data.UserId}}}","traits":{"secret":"{{{data.Trait}}}"}}""");
        using var device = await server.AdminAsync(HttpMethod.Put, $"{SegmentsApi.UserPath(data.UserId)}/devices/{data.Token}", """{"platform":"ios"}""");
        await device.ShouldHaveStatusAsync(HttpStatusCode.OK);
        using var segment = await server.AdminAsync(HttpMethod.Put, $"/v1/segments/{data.SegmentId}", $$"""{"name":"{{data.SegmentName}}","rule":"trait(\"secret\") = \"{{data.Trait}}\""}""");
        // Why: the rule matches only this test's user, so the shared app's other tests see no extra segment.
        await segment.ShouldHaveStatusAsync(HttpStatusCode.Created);
        using var fence = await server.AdminAsync(HttpMethod.Put, $"/v1/geofences/{data.FenceId}",
            $$"""{"name":"{{data.FenceName}}","polygon":[[52.5,13.3],[52.6,13.3],[52.6,13.5],[52.5,13.5]]}""");
        await fence.ShouldHaveStatusAsync(HttpStatusCode.Created);
        return data;
    }

    private sealed record ShopData(string UserId, string Token, string SegmentId, string FenceId, string Trait, string SegmentName, string FenceName)
    {
        public string[] Secrets => [Trait, Token, SegmentName, FenceName];

        public string ValueFor(string parameter, string pattern) => parameter switch
        {
            "userId" => UserId,
            "token" => Token,
            "segmentId" => SegmentId,
            "id" when pattern.StartsWith("/v1/geofences", StringComparison.Ordinal) => FenceId,
            "id" => SegmentId,
            _ => "probe",
        };

        public async Task AssertUnchangedAsync(ServerFixture server)
        {
            var profile = await server.GetUserAsync(UserId);
            Assert.Equal(Trait, (string?)profile["traits"]!["secret"]);
            Assert.Single(profile["devices"]!.AsArray());
            using var segment = await server.AdminAsync(HttpMethod.Get, $"/v1/segments/{SegmentId}");
            Assert.Contains(SegmentName, await segment.ShouldHaveStatusAsync(HttpStatusCode.OK));
            using var fence = await server.AdminAsync(HttpMethod.Get, $"/v1/geofences/{FenceId}");
            Assert.Contains(FenceName, await fence.ShouldHaveStatusAsync(HttpStatusCode.OK));
        }
    }
}
