using System.Security.Cryptography;
using System.Text;
using Orleans.Segments.Domain.Webhooks;

namespace Orleans.Segments.Domain.Tests.Webhooks;

public sealed class WebhookSignatureTests
{
    private static readonly DateTimeOffset At = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"events":[{"id":"ev_1"}]}""");

    [Fact]
    public void TheHeaderIsTheTimestampAndTheHmacOfTimestampDotBody()
    {
        string header = WebhookSignature.Sign("whsec_k", At, Body);

        // Computed the way the docs tell a receiver to: HMAC-SHA256(secret, "<t>." + body), hex.
        byte[] message = [.. Encoding.ASCII.GetBytes($"{At.ToUnixTimeSeconds()}."), .. Body];
        byte[] expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes("whsec_k"), message);
        Assert.Equal($"t={At.ToUnixTimeSeconds()},v1={Convert.ToHexStringLower(expected)}", header);
    }

    [Fact]
    public void VerifyAcceptsTheSignatureAndRefusesAnyChange()
    {
        string header = WebhookSignature.Sign("whsec_k", At, Body);
        var tolerance = TimeSpan.FromMinutes(5);

        Assert.True(WebhookSignature.Verify("whsec_k", header, Body, At.AddMinutes(1), tolerance));
        Assert.False(WebhookSignature.Verify("whsec_other", header, Body, At, tolerance));
        Assert.False(WebhookSignature.Verify("whsec_k", header, [.. Body, (byte)' '], At, tolerance));
        Assert.False(WebhookSignature.Verify("whsec_k", header, Body, At.AddMinutes(6), tolerance)); // a replay
        Assert.False(WebhookSignature.Verify("whsec_k", header.Replace("t=", "t=1"), Body, At, tolerance));
        Assert.False(WebhookSignature.Verify("whsec_k", null, Body, At, tolerance));
        Assert.False(WebhookSignature.Verify("whsec_k", "t=abc,v1=zz", Body, At, tolerance));
        Assert.True(WebhookSignature.Verify("whsec_k", $"{header},v1={new string('0', 64)}", Body, At, tolerance)); // a second signature, as during a rotation
    }

    [Fact]
    public void NewSecretsAreLongAndDifferent()
    {
        string a = WebhookSignature.NewSecret(), b = WebhookSignature.NewSecret();
        Assert.StartsWith("whsec_", a);
        Assert.Equal(6 + 64, a.Length);
        Assert.NotEqual(a, b);
    }
}

public sealed class WebhookUrlTests
{
    [Theory]
    [InlineData("https://hooks.example.com/segments", null)]
    [InlineData("https://hooks.example.com:8443/a?b=c", null)]
    [InlineData("http://127.0.0.1:5000/hook", null)]
    [InlineData("http://localhost/hook", null)]
    [InlineData("http://[::1]:8080/hook", null)]
    [InlineData("http://hooks.example.com/segments", "must be https (plain http is allowed only to the loopback interface, for tests).")]
    [InlineData("http://127.0.0.1.example.com/hook", "must be https (plain http is allowed only to the loopback interface, for tests).")]
    [InlineData("ws://hooks.example.com", "must be https, not ws.")]
    [InlineData("https://u:p@hooks.example.com", "no user name or password in the URL (they would be logged); the signature authenticates the sender.")]
    [InlineData("https://hooks.example.com/#x", "no fragment (#...).")]
    [InlineData("/hook", "not an absolute URL.")]
    [InlineData("hooks.example.com/hook", "not an absolute URL.")]
    [InlineData("", "required.")]
    [InlineData(null, "required.")]
    public void OnlyHttpsOrLoopbackHttpIsAReceiver(string? url, string? problem) => Assert.Equal(problem, WebhookUrl.Problem(url));
}

public sealed class WebhookRetryTests
{
    [Fact]
    public void WaitsDoubleUpToTheMaximumWithAFifthOfJitterAndGiveUpAfterTheDay()
    {
        var retry = new WebhookRetry();
        Assert.Equal(TimeSpan.FromSeconds(5), retry.After(1, 0));
        Assert.Equal(TimeSpan.FromSeconds(10), retry.After(2, 0));
        Assert.Equal(TimeSpan.FromSeconds(6), retry.After(1, 1));
        Assert.Equal(TimeSpan.FromMinutes(10), retry.After(8, 0));
        Assert.Equal(TimeSpan.FromMinutes(10), retry.After(int.MaxValue, 0));
        Assert.Equal(TimeSpan.FromMinutes(12), retry.After(50, 1));

        var since = new DateTime(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc);
        Assert.False(retry.GivesUp(since, since.AddHours(23.99)));
        Assert.True(retry.GivesUp(since, since.AddHours(24)));
    }

    [Fact]
    public void TheDayOfRetriesTakesAboutOneHundredFortyFiveAttempts()
    {
        // At the defaults, a receiver down for the whole day is tried about every ten minutes after the first hour:
        // often enough to catch it coming back, rarely enough not to hammer it.
        var retry = new WebhookRetry();
        var elapsed = TimeSpan.Zero;
        int attempts = 1;
        while (elapsed < retry.GiveUpAfter) elapsed += retry.After(attempts++, 0);
        Assert.InRange(attempts, 140, 155);
    }
}

public sealed class WebhookBatchJsonTests
{
    [Fact]
    public void TheBodyHasTheBatchAndEachEventWithOnlyItsFieldsAndNoRawHtml()
    {
        var at = new DateTime(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc);
        var events = new[]
        {
            new WebhookEvent("ev_1", WebhookEventTypes.MessageSent, at, "u<1>") { CampaignId = "c1", NotificationId = "n1", Language = "de" },
            new WebhookEvent("ev_2", WebhookEventTypes.LifecycleChanged, at, "anon-1") { Anonymous = true, To = "new" },
        };

        string json = Encoding.UTF8.GetString(WebhookBatchJson.Write("shop", "warehouse", "b1", events));

        Assert.Equal(
            """{"webhookId":"warehouse","appId":"shop","batchId":"b1","events":[{"id":"ev_1","type":"message.sent","at":"2026-03-01T12:00:00Z","userId":"u\u003C1\u003E","campaignId":"c1","notificationId":"n1","language":"de"},{"id":"ev_2","type":"lifecycle.changed","at":"2026-03-01T12:00:00Z","anonymousId":"anon-1","to":"new"}]}""",
            json);
    }
}
