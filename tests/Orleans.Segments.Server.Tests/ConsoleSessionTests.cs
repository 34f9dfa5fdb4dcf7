using System.Net;
using Orleans.Segments.Server.Tests.Infrastructure;
using static Orleans.Segments.Server.Tests.Infrastructure.SegmentRequests;

namespace Orleans.Segments.Server.Tests;

/// <summary>
/// The console's session over time, on the server whose clock tests move: sign-in attempts are rate limited per
/// address, and a session that expired sends the manager back to sign in without losing what they were saving.
/// </summary>
[Collection(TimeTravelCollection.Name)]
public sealed class ConsoleSessionTests(TimeTravelServerFixture server)
{
    [Fact]
    public async Task FiveWrongKeysInAMinuteMakeTheAddressWaitWithAClearMessage()
    {
        using var session = new ConsoleSession(server.BaseAddress);
        for (int i = 0; i < 5; i++)
        {
            using var wrong = await session.SignInWithAsync($"ak_guess_{i}");
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        using var limited = await session.SignInWithAsync(TestApps.Shop.AdminKey);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(int.Parse(limited.Headers.GetValues("Retry-After").Single()) is > 0 and <= 60);
        Assert.Contains("Too many failed attempts", ConsoleSession.Text(await limited.Content.ReadAsStringAsync()));

        await server.AdvanceAndWakeAsync(TimeSpan.FromSeconds(61));
        using var right = await session.SignInWithAsync(TestApps.Shop.AdminKey);
        Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
    }

    [Fact]
    public async Task AnExpiredSessionSendsTheManagerToSignInAndKeepsTheFormTheyWereSaving()
    {
        using var session = await ConsoleSession.SignInAsync(server.BaseAddress, TestApps.Shop.AdminKey);
        string id = NewId("cexp");
        string token = await session.TokenAsync("/console/segments/edit");

        await server.AdvanceAndWakeAsync(TimeSpan.FromHours(9));

        using var fragment = await session.PostAsync("/console/segments/edit?handler=check", [new("__RequestVerificationToken", token), new("rule", "stage = \"new\"")], htmx: true);
        Assert.Equal(HttpStatusCode.Unauthorized, fragment.StatusCode);
        Assert.StartsWith("/console/login?returnUrl=", fragment.Headers.GetValues("HX-Redirect").Single());

        using var expired = await session.PostAsync("/console/segments/edit", [new("__RequestVerificationToken", token), new("id", id), new("name", "Kept"), new("rule", "stage = \"loyal\"")]);
        Assert.Equal(HttpStatusCode.Redirect, expired.StatusCode);
        var login = new Uri(server.BaseAddress, expired.Headers.Location!);
        var query = System.Web.HttpUtility.ParseQueryString(login.Query);
        Assert.Equal("/console/login", login.AbsolutePath);
        Assert.Equal("/console/segments/edit", query["returnUrl"]);
        string resume = query["resume"]!;
        Assert.Contains("what you were sending is kept", ConsoleSession.Text(await session.PageAsync(login.PathAndQuery)));
        using (var notSaved = await server.AdminAsync(HttpMethod.Get, SegmentPath(id)))
        {
            Assert.Equal(HttpStatusCode.NotFound, notSaved.StatusCode);
        }

        using var signIn = await session.SignInWithAsync(TestApps.Shop.AdminKey, returnUrl: "/console/segments/edit", resume: resume);
        Assert.Equal($"/console/resume?key={resume}", signIn.Headers.Location!.OriginalString);
        var kept = await session.PageAsync(signIn.Headers.Location!.OriginalString);
        Assert.Equal("stage = \"loyal\"", kept.QuerySelector("input[name=rule]")!.GetAttribute("value"));

        using var sent = await session.SubmitAsync(signIn.Headers.Location!.OriginalString, "main form", []);
        Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
        Assert.Equal($"/console/segments/{id}", sent.Headers.Location!.OriginalString);
        var segment = await server.GetSegmentAsync(id);
        Assert.Equal("Kept", (string?)segment["name"]);

        Assert.Contains("Nothing to continue", ConsoleSession.Text(await session.PageAsync("/console/resume?key=0123456789abcdef0123456789abcdef")));
    }
}
