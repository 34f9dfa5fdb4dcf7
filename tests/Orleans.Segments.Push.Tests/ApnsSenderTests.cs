using System.Text.Json;
using Orleans.Segments.Domain.Events;
using Orleans.Segments.Push.Hosting;
using Orleans.Segments.Push.StandIns;

namespace Orleans.Segments.Push.Tests;

public sealed class ApnsSenderTests(ApnsFixture fixture) : IClassFixture<ApnsFixture>
{
    private ApnsStandIn Apns => fixture.Apns;

    private static DeviceToken NewDevice() => new(Credentials.NewApnsToken(), PushPlatform.Ios);

    [Fact]
    public async Task DeliversAnAlertWithEveryHeaderAndPayloadFieldApnsChecks()
    {
        using var sender = fixture.NewSender();
        var device = NewDevice();
        var sentAt = fixture.Time.GetUtcNow();
        var message = new PushMessage
        {
            Title = "Sale", Subtitle = "Today only", Body = "20% off shoes", Badge = 3, Sound = "default", Category = "PROMO",
            ThreadId = "promos", MutableContent = true, Data = new() { ["deepLink"] = "shop://sale" },
            TimeToLive = TimeSpan.FromHours(1), CollapseId = "sale-42",
        };

        var outcome = await sender.SendAsync(message, device);

        var delivered = Assert.IsType<Delivered>(outcome);
        var received = Assert.Single(Apns.Received, r => r.DeviceToken == device.Token);
        Assert.Equal("HTTP/2", received.Protocol);
        Assert.Equal(Credentials.BundleId, received.Headers["apns-topic"]);
        Assert.Equal("alert", received.Headers["apns-push-type"]);
        Assert.Equal("10", received.Headers["apns-priority"]);
        Assert.Equal((sentAt + TimeSpan.FromHours(1)).ToUnixTimeSeconds().ToString(), received.Headers["apns-expiration"]);
        Assert.Equal("sale-42", received.Headers["apns-collapse-id"]);
        Assert.Equal(received.Headers["apns-id"], delivered.ProviderId);
        var aps = received.Payload.GetProperty("aps");
        Assert.Equal("Sale", aps.GetProperty("alert").GetProperty("title").GetString());
        Assert.Equal("Today only", aps.GetProperty("alert").GetProperty("subtitle").GetString());
        Assert.Equal("20% off shoes", aps.GetProperty("alert").GetProperty("body").GetString());
        Assert.Equal(3, aps.GetProperty("badge").GetInt32());
        Assert.Equal("default", aps.GetProperty("sound").GetString());
        Assert.Equal("PROMO", aps.GetProperty("category").GetString());
        Assert.Equal("promos", aps.GetProperty("thread-id").GetString());
        Assert.Equal(1, aps.GetProperty("mutable-content").GetInt32());
        Assert.Equal("shop://sale", received.Payload.GetProperty("deepLink").GetString());
    }

    [Fact]
    public async Task ContentAvailableAloneIsABackgroundPushAtPriorityFive()
    {
        using var sender = fixture.NewSender();
        var device = NewDevice();

        var outcome = await sender.SendAsync(new PushMessage { ContentAvailable = true, Data = new() { ["sync"] = "orders" } }, device);

        Assert.IsType<Delivered>(outcome);
        var received = Assert.Single(Apns.Received, r => r.DeviceToken == device.Token);
        Assert.Equal(("background", "5"), (received.Headers["apns-push-type"], received.Headers["apns-priority"]));
        Assert.Equal(1, received.Payload.GetProperty("aps").GetProperty("content-available").GetInt32());
        Assert.False(received.Payload.GetProperty("aps").TryGetProperty("alert", out _));
    }

    [Fact]
    public async Task AnImageMakesTheAlertMutableAndCarriesItsUrlForTheServiceExtension()
    {
        using var sender = fixture.NewSender();
        var device = NewDevice();

        var outcome = await sender.SendAsync(new PushMessage { Title = "New arrivals", Body = "Spring shoes", ImageUrl = "https://cdn.example.com/spring.jpg" }, device);

        Assert.IsType<Delivered>(outcome);
        var received = Assert.Single(Apns.Received, r => r.DeviceToken == device.Token);
        Assert.Equal(("alert", "10"), (received.Headers["apns-push-type"], received.Headers["apns-priority"]));
        Assert.Equal(1, received.Payload.GetProperty("aps").GetProperty("mutable-content").GetInt32());
        Assert.Equal("https://cdn.example.com/spring.jpg", received.Payload.GetProperty("image_url").GetString());
    }

    [Fact]
    public async Task TheStandInRefusesABackgroundPushThatShowsSomethingLikeApns()
    {
        // Why: the checks the silent-push tests rely on must themselves refuse what APNs refuses.
        using var client = new HttpClient(new SocketsHttpHandler { SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true } });
        using var sender = fixture.NewSender();
        var device = NewDevice();
        await sender.SendAsync(new PushMessage { Title = "warm up" }, device);
        string jwt = Assert.Single(Apns.Received, r => r.DeviceToken == device.Token).ProviderToken;

        async Task<(int Status, string Body)> Post(string pushType, string priority, string payload)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Apns.BaseAddress, $"/3/device/{device.Token}"))
            {
                Content = new StringContent(payload),
                Version = System.Net.HttpVersion.Version20,
                VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            };
            request.Headers.TryAddWithoutValidation("authorization", $"bearer {jwt}");
            request.Headers.TryAddWithoutValidation("apns-topic", Credentials.BundleId);
            request.Headers.TryAddWithoutValidation("apns-push-type", pushType);
            request.Headers.TryAddWithoutValidation("apns-priority", priority);
            using var response = await client.SendAsync(request);
            return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
        }

        Assert.Equal((400, """{"reason":"BadPriority"}"""), await Post("background", "10", """{"aps":{"content-available":1}}"""));
        Assert.Equal((400, """{"reason":"InvalidPushType"}"""), await Post("background", "5", """{"aps":{"content-available":1,"alert":{"title":"x"}}}"""));
        Assert.Equal((400, """{"reason":"BadPayload"}"""), await Post("alert", "10", """{"aps":{"alert":{"title":"x"},"badge":-1}}"""));
        Assert.Equal(200, (await Post("background", "5", """{"aps":{"content-available":1},"sync":"orders"}""")).Status);
        Assert.Equal((400, """{"reason":"TopicDisallowed"}"""), await Post("liveactivity", "10", """{"aps":{"timestamp":1,"event":"update","content-state":{}}}"""));
        Assert.Equal((400, """{"reason":"InvalidPushType"}"""), await Post("alert", "10", """{"aps":{"alert":{"title":"x"},"timestamp":1,"event":"update","content-state":{}}}"""));
    }

    [Fact]
    public async Task ALiveActivityUpdateGoesToTheSuffixedTopicAndOneWithoutItsStateIsRefusedByApns()
    {
        using var sender = fixture.NewSender();
        var device = NewDevice();

        var update = await sender.SendAsync(new PushMessage { LiveActivity = new LiveActivityContent { Event = "update", Timestamp = 1_700_000_000, ContentState = """{"eta":5}""" } }, device);
        var stateless = await sender.SendAsync(new PushMessage { LiveActivity = new LiveActivityContent { Event = "update", Timestamp = 1_700_000_001 } }, device);

        Assert.IsType<Delivered>(update);
        var received = Assert.Single(Apns.Received, r => r.DeviceToken == device.Token);
        Assert.Equal(($"{Credentials.BundleId}.push-type.liveactivity", "liveactivity"), (received.Headers["apns-topic"], received.Headers["apns-push-type"]));
        Assert.Equal(5, received.Payload.GetProperty("aps").GetProperty("content-state").GetProperty("eta").GetInt32());
        Assert.Contains("BadPayload", Assert.IsType<PermanentFailure>(stateless).Reason);
    }

    [Fact]
    public async Task BadDeviceTokenIsPermanentAndMarksTheTokenDead()
    {
        using var sender = fixture.NewSender();
        var device = NewDevice();
        Apns.Script(device.Token, ApnsAnswer.BadDeviceToken);

        var outcome = await sender.SendAsync(Messages.Alert, device);

        var failure = Assert.IsType<PermanentFailure>(outcome);
        Assert.Equal(("APNs 400 BadDeviceToken", true, 1), (failure.Reason, failure.TokenDead, failure.Attempts));
        Assert.Equal(fixture.Time.GetUtcNow().UtcDateTime, failure.DeadSince);
        Assert.Equal(1, Apns.ReceivedFor(device.Token));
    }

    [Fact]
    public async Task DeviceTokenNotForTopicIsPermanentAndMarksTheTokenDead()
    {
        using var sender = fixture.NewSender();
        var device = NewDevice();
        Apns.Script(device.Token, ApnsAnswer.DeviceTokenNotForTopic);

        var failure = Assert.IsType<PermanentFailure>(await sender.SendAsync(Messages.Alert, device));

        Assert.Equal(("APNs 400 DeviceTokenNotForTopic", true), (failure.Reason, failure.TokenDead));
    }

    [Fact]
    public async Task UnregisteredIsDeadSinceApplesTimestamp()
    {
        using var sender = fixture.NewSender();
        var device = NewDevice();
        var diedAt = Credentials.Start.AddDays(-2).AddMilliseconds(123);
        Apns.Script(device.Token, ApnsAnswer.Unregistered(diedAt));

        var failure = Assert.IsType<PermanentFailure>(await sender.SendAsync(Messages.Alert, device));

        Assert.Equal(("APNs 410 Unregistered", true, 1), (failure.Reason, failure.TokenDead, failure.Attempts));
        Assert.Equal(diedAt.UtcDateTime, failure.DeadSince);
    }

    [Fact]
    public async Task PayloadTooLargeFromApnsIsPermanentButKeepsTheToken()
    {
        using var sender = fixture.NewSender();
        var device = NewDevice();
        Apns.Script(device.Token, ApnsAnswer.PayloadTooLarge);

        var failure = Assert.IsType<PermanentFailure>(await sender.SendAsync(Messages.Alert, device));

        Assert.Equal(("APNs 413 PayloadTooLarge", false, 1), (failure.Reason, failure.TokenDead, failure.Attempts));
    }

    [Fact]
    public async Task OversizePayloadIsRejectedBeforeAnyRequest()
    {
        using var sender = fixture.NewSender();
        var device = NewDevice();
        long answeredBefore = Apns.Answered;

        var outcome = await sender.SendAsync(Messages.Oversize, device);

        Assert.Contains("APNs allows 4096", Assert.IsType<Rejected>(outcome).Reason);
        Assert.Equal(answeredBefore, Apns.Answered);
    }

    [Theory]
    [InlineData("not-hex-not-hex-not-hex-not-hex-not-hex-not-hex-not-hex-not-hex!")]
    [InlineData("0123456789abcdef")]
    public async Task MalformedTokenIsRejectedBeforeAnyRequest(string token)
    {
        using var sender = fixture.NewSender();
        long answeredBefore = Apns.Answered;

        var outcome = await sender.SendAsync(Messages.Alert, new DeviceToken(token, PushPlatform.Ios));

        Assert.IsType<Rejected>(outcome);
        Assert.Equal(answeredBefore, Apns.Answered);
    }

    [Fact]
    public async Task TooManyRequestsWaitsForRetryAfterThenDelivers()
    {
        using var sender = fixture.NewSender();
        var device = NewDevice();
        Apns.Script(device.Token, ApnsAnswer.TooManyRequests(7));

        var (outcome, delays) = await fixture.Time.Drive(() => sender.SendAsync(Messages.Alert, device));

        Assert.Equal(2, Assert.IsType<Delivered>(outcome).Attempts);
        Assert.Equal([TimeSpan.FromSeconds(7)], delays);
    }

    [Fact]
    public async Task InternalServerErrorIsRetriedWithExponentialBackoffAndJitter()
    {
        using var sender = fixture.NewSender();
        var device = NewDevice();
        Apns.Script(device.Token, ApnsAnswer.InternalServerError, ApnsAnswer.InternalServerError);

        var (outcome, delays) = await fixture.Time.Drive(() => sender.SendAsync(Messages.Alert, device));

        Assert.Equal(3, Assert.IsType<Delivered>(outcome).Attempts);
        Assert.Equal(2, delays.Count);
        Assert.InRange(delays[0], TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(1));
        Assert.InRange(delays[1], TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task ServiceUnavailableGivesUpAfterTheAllowedAttempts()
    {
        using var sender = fixture.NewSender(retry: new RetryOptions { MaxAttempts = 3 });
        var device = NewDevice();
        Apns.Script(device.Token, ApnsAnswer.ServiceUnavailable, ApnsAnswer.ServiceUnavailable, ApnsAnswer.ServiceUnavailable, ApnsAnswer.ServiceUnavailable);

        var (outcome, delays) = await fixture.Time.Drive(() => sender.SendAsync(Messages.Alert, device));

        var failure = Assert.IsType<TransientFailure>(outcome);
        Assert.Equal(("APNs 503 ServiceUnavailable", 3), (failure.Reason, failure.Attempts));
        Assert.Equal(2, delays.Count);
        Assert.Equal(3, Apns.ReceivedFor(device.Token));
    }

    [Fact]
    public async Task RetryAfterLongerThanAllowedEndsTheSendForTheCallerToReschedule()
    {
        using var sender = fixture.NewSender();
        var device = NewDevice();
        Apns.Script(device.Token, ApnsAnswer.TooManyRequests(3600));

        var (outcome, delays) = await fixture.Time.Drive(() => sender.SendAsync(Messages.Alert, device));

        var failure = Assert.IsType<TransientFailure>(outcome);
        Assert.Equal((1, TimeSpan.FromHours(1)), (failure.Attempts, failure.RetryAfter));
        Assert.Empty(delays);
    }

    [Fact]
    public async Task AStreamResetAfterTheRequestWasReadIsNotRetriedAndSaysItMayHaveReachedApns()
    {
        using var sender = fixture.NewSender(retry: new RetryOptions { MaxAttempts = 3 });
        var device = NewDevice();
        Apns.Script(device.Token, ApnsAnswer.ResetAfterReading);

        var (outcome, delays) = await fixture.Time.Drive(() => sender.SendAsync(Messages.Alert, device));

        var failure = Assert.IsType<TransientFailure>(outcome);
        Assert.True(failure.MayHaveReached);
        Assert.Equal(1, failure.Attempts);
        Assert.Empty(delays);
        Assert.Equal(1, Apns.ReceivedFor(device.Token));
    }

    [Fact]
    public async Task ProviderTokenSignedWithAnotherKeyIsRefusedAsInvalid()
    {
        using var sender = fixture.NewSender(o => o.PrivateKey = TestKeys.NewApnsKey().P8);

        var failure = Assert.IsType<PermanentFailure>(await sender.SendAsync(Messages.Alert, NewDevice()));

        Assert.Equal(("APNs 403 InvalidProviderToken", false), (failure.Reason, failure.TokenDead));
    }

    [Fact]
    public async Task WrongTopicIsPermanentButKeepsTheToken()
    {
        using var sender = fixture.NewSender(o => o.BundleId = "com.example.other");

        var failure = Assert.IsType<PermanentFailure>(await sender.SendAsync(Messages.Alert, NewDevice()));

        Assert.Equal(("APNs 400 TopicDisallowed", false), (failure.Reason, failure.TokenDead));
    }

    [Fact]
    public async Task ExpiredProviderTokenIsRenewedOnceAndTheSendRetried()
    {
        using var sender = fixture.NewSender();
        await sender.SendAsync(Messages.Alert, NewDevice());
        fixture.Time.Advance(TimeSpan.FromMinutes(25));
        var device = NewDevice();
        Apns.Script(device.Token, ApnsAnswer.ExpiredProviderToken);

        var outcome = await sender.SendAsync(Messages.Alert, device);

        Assert.Equal(2, Assert.IsType<Delivered>(outcome).Attempts);
        Assert.Equal(2, Apns.Received.Where(r => r.DeviceToken == device.Token).Select(r => r.ProviderToken).Distinct().Count());
        Assert.Equal(2, sender.ProviderToken.MintedCount);
    }

    [Fact]
    public async Task ExpiredProviderTokenYoungerThanTwentyMinutesIsNotRenewed()
    {
        using var sender = fixture.NewSender();
        await sender.SendAsync(Messages.Alert, NewDevice());
        fixture.Time.Advance(TimeSpan.FromMinutes(5));
        var device = NewDevice();
        Apns.Script(device.Token, ApnsAnswer.ExpiredProviderToken);

        var outcome = await sender.SendAsync(Messages.Alert, device);

        var failure = Assert.IsType<TransientFailure>(outcome);
        Assert.Equal(("APNs 403 ExpiredProviderToken", 1), (failure.Reason, failure.Attempts));
        Assert.Equal(1, sender.ProviderToken.MintedCount);
    }

    [Fact]
    public async Task ExpiredProviderTokenTwiceRenewsOnlyOnce()
    {
        using var sender = fixture.NewSender();
        await sender.SendAsync(Messages.Alert, NewDevice());
        fixture.Time.Advance(TimeSpan.FromMinutes(30));
        var device = NewDevice();
        Apns.Script(device.Token, ApnsAnswer.ExpiredProviderToken, ApnsAnswer.ExpiredProviderToken);

        var outcome = await sender.SendAsync(Messages.Alert, device);

        Assert.Equal(2, Assert.IsType<TransientFailure>(outcome).Attempts);
        Assert.Equal(2, sender.ProviderToken.MintedCount);
    }

    [Fact]
    public async Task ProviderTokenIsAnEs256JwtWithKeyIdTeamAndIssuedAt()
    {
        using var sender = fixture.NewSender();
        var device = NewDevice();

        await sender.SendAsync(Messages.Alert, device);

        string jwt = Assert.Single(Apns.Received, r => r.DeviceToken == device.Token).ProviderToken;
        string[] parts = jwt.Split('.');
        using var header = JsonDocument.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(parts[0]));
        using var claims = JsonDocument.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(parts[1]));
        Assert.Equal(("ES256", Credentials.KeyId), (header.RootElement.GetProperty("alg").GetString(), header.RootElement.GetProperty("kid").GetString()));
        Assert.Equal(Credentials.TeamId, claims.RootElement.GetProperty("iss").GetString());
        Assert.Equal(fixture.Time.GetUtcNow().ToUnixTimeSeconds(), claims.RootElement.GetProperty("iat").GetInt64());
        Assert.Equal(64, System.Buffers.Text.Base64Url.DecodeFromChars(parts[2]).Length);
    }
}
