using System.Security.Cryptography;
using Orleans.Segments.Domain.Events;
using Orleans.Segments.Push.StandIns;

namespace Orleans.Segments.Push.Tests;

public sealed class FcmSenderTests(FcmFixture fixture) : IClassFixture<FcmFixture>
{
    private FcmStandIn Fcm => fixture.Fcm;

    private static DeviceToken NewDevice() => new(Credentials.NewFcmToken(), PushPlatform.Android);

    [Fact]
    public async Task DeliversWithNotificationDataAndroidOptionsAndApnsOverrides()
    {
        using var sender = fixture.NewSender();
        var device = NewDevice();
        var message = new PushMessage
        {
            Title = "Sale", Body = "20% off shoes", Subtitle = "Today only", Badge = 2, Data = new() { ["deepLink"] = "shop://sale" },
            Priority = PushPriority.Normal, TimeToLive = TimeSpan.FromHours(1), CollapseId = "sale", AndroidChannelId = "promotions",
        };

        var outcome = await sender.SendAsync(message, device);

        Assert.StartsWith($"projects/{Credentials.ProjectId}/messages/", Assert.IsType<Delivered>(outcome).ProviderId);
        var received = Assert.Single(Fcm.Received, r => r.DeviceToken == device.Token);
        Assert.Equal("HTTP/2", received.Protocol);
        var sent = received.Message;
        Assert.Equal("Sale", sent.GetProperty("notification").GetProperty("title").GetString());
        Assert.Equal("20% off shoes", sent.GetProperty("notification").GetProperty("body").GetString());
        Assert.Equal("shop://sale", sent.GetProperty("data").GetProperty("deepLink").GetString());
        var android = sent.GetProperty("android");
        Assert.Equal(("NORMAL", "3600s", "sale"), (android.GetProperty("priority").GetString(), android.GetProperty("ttl").GetString(), android.GetProperty("collapse_key").GetString()));
        Assert.Equal("promotions", android.GetProperty("notification").GetProperty("channel_id").GetString());
        var apns = sent.GetProperty("apns");
        Assert.Equal("5", apns.GetProperty("headers").GetProperty("apns-priority").GetString());
        Assert.Equal(2, apns.GetProperty("payload").GetProperty("aps").GetProperty("badge").GetInt32());
    }

    [Fact]
    public async Task ARichPushCarriesTheImageClickActionAndCountOnAndroidAndTheImageForIosThroughFcm()
    {
        using var sender = fixture.NewSender();
        var device = NewDevice();
        var message = new PushMessage
        {
            Title = "New arrivals", Body = "Spring shoes", ImageUrl = "https://cdn.example.com/spring.jpg", Category = "SHOP_ACTIONS", Badge = 4,
            Data = new() { ["buttons"] = """[{"id":"buy","title":"Buy"}]""" },
        };

        var outcome = await sender.SendAsync(message, device);

        Assert.IsType<Delivered>(outcome);
        var sent = Assert.Single(Fcm.Received, r => r.DeviceToken == device.Token).Message;
        Assert.Equal("https://cdn.example.com/spring.jpg", sent.GetProperty("notification").GetProperty("image").GetString());
        var android = sent.GetProperty("android").GetProperty("notification");
        Assert.Equal("SHOP_ACTIONS", android.GetProperty("click_action").GetString());
        Assert.Equal(4, android.GetProperty("notification_count").GetInt32());
        var apns = sent.GetProperty("apns");
        Assert.Equal("https://cdn.example.com/spring.jpg", apns.GetProperty("fcm_options").GetProperty("image").GetString());
        Assert.Equal(1, apns.GetProperty("payload").GetProperty("aps").GetProperty("mutable-content").GetInt32());
        Assert.Equal("SHOP_ACTIONS", apns.GetProperty("payload").GetProperty("aps").GetProperty("category").GetString());
        Assert.Equal(("alert", "10"), (apns.GetProperty("headers").GetProperty("apns-push-type").GetString(), apns.GetProperty("headers").GetProperty("apns-priority").GetString()));
        Assert.Equal("""[{"id":"buy","title":"Buy"}]""", sent.GetProperty("data").GetProperty("buttons").GetString());
    }

    [Fact]
    public async Task ASilentPushIsADataMessageWithABackgroundApnsOverride()
    {
        using var sender = fixture.NewSender();
        var device = NewDevice();

        var outcome = await sender.SendAsync(new PushMessage { ContentAvailable = true, Priority = PushPriority.Normal, Data = new() { ["sync"] = "orders" } }, device);

        Assert.IsType<Delivered>(outcome);
        var sent = Assert.Single(Fcm.Received, r => r.DeviceToken == device.Token).Message;
        Assert.False(sent.TryGetProperty("notification", out _));
        Assert.False(sent.GetProperty("android").TryGetProperty("notification", out _));
        Assert.Equal("NORMAL", sent.GetProperty("android").GetProperty("priority").GetString());
        Assert.Equal("orders", sent.GetProperty("data").GetProperty("sync").GetString());
        var apns = sent.GetProperty("apns");
        Assert.Equal(("background", "5"), (apns.GetProperty("headers").GetProperty("apns-push-type").GetString(), apns.GetProperty("headers").GetProperty("apns-priority").GetString()));
        Assert.Equal(1, apns.GetProperty("payload").GetProperty("aps").GetProperty("content-available").GetInt32());
    }

    [Fact]
    public async Task OneAccessTokenServesConcurrentSends()
    {
        using var sender = fixture.NewSender();
        long grantsBefore = Fcm.Grants;

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => sender.SendAsync(Messages.Alert, NewDevice())));

        Assert.True(outcomes.All(o => o is Delivered), Fcm.LastGrantError);
        Assert.Equal(grantsBefore + 1, Fcm.Grants);
    }

    [Fact]
    public async Task AccessTokenIsRefreshedBeforeItExpires()
    {
        using var sender = fixture.NewSender();
        var first = NewDevice();
        await sender.SendAsync(Messages.Alert, first);
        long grantsAfterFirst = Fcm.Grants;

        fixture.Time.Advance(TimeSpan.FromMinutes(30));
        await sender.SendAsync(Messages.Alert, NewDevice());
        long grantsAtHalfLife = Fcm.Grants;
        fixture.Time.Advance(TimeSpan.FromMinutes(29));
        var late = NewDevice();
        var outcome = await sender.SendAsync(Messages.Alert, late);

        Assert.Equal(grantsAfterFirst, grantsAtHalfLife);
        Assert.Equal(grantsAfterFirst + 1, Fcm.Grants);
        // Why: one attempt proves the refresh came before the token expired, not after a 401.
        Assert.Equal(1, Assert.IsType<Delivered>(outcome).Attempts);
        Assert.NotEqual(Fcm.Received.Single(r => r.DeviceToken == first.Token).AccessToken, Fcm.Received.Single(r => r.DeviceToken == late.Token).AccessToken);
    }

    [Fact]
    public async Task RefusedAccessTokenIsRefreshedOnceAndTheSendRetried()
    {
        using var sender = fixture.NewSender();
        await sender.SendAsync(Messages.Alert, NewDevice());
        Fcm.RevokeAccessTokens();

        var outcome = await sender.SendAsync(Messages.Alert, NewDevice());

        Assert.Equal(2, Assert.IsType<Delivered>(outcome).Attempts);
    }

    [Fact]
    public async Task AssertionSignedWithAnotherKeyIsRefusedByTheTokenEndpoint()
    {
        using var otherKey = RSA.Create(2048);
        string foreign = TestKeys.ServiceAccountJson(otherKey, Fcm.TokenUri, Credentials.ProjectId, Credentials.ClientEmail);
        using var sender = fixture.NewSender(o => o.ServiceAccountJson = foreign);

        var outcome = await sender.SendAsync(Messages.Alert, NewDevice());

        Assert.Equal("FCM OAuth token refused: invalid_grant", Assert.IsType<PermanentFailure>(outcome).Reason);
        Assert.Equal("bad signature", Fcm.LastGrantError);
    }

    [Fact]
    public async Task UnregisteredIsPermanentAndMarksTheTokenDead()
    {
        var failure = await FailWith(FcmAnswer.Unregistered);

        Assert.Equal(("FCM 404 UNREGISTERED", true, 1), (failure.Reason, failure.TokenDead, failure.Attempts));
        Assert.Equal(fixture.Time.GetUtcNow().UtcDateTime, failure.DeadSince);
    }

    [Fact]
    public async Task SenderIdMismatchIsPermanentAndMarksTheTokenDead()
    {
        var failure = await FailWith(FcmAnswer.SenderIdMismatch);

        Assert.Equal(("FCM 403 SENDER_ID_MISMATCH", true), (failure.Reason, failure.TokenDead));
    }

    [Fact]
    public async Task InvalidArgumentOnTheTokenMarksTheTokenDead()
    {
        var failure = await FailWith(FcmAnswer.InvalidToken);

        Assert.Equal(("FCM 400 INVALID_ARGUMENT", true), (failure.Reason, failure.TokenDead));
    }

    [Fact]
    public async Task InvalidArgumentOnThePayloadKeepsTheToken()
    {
        var failure = await FailWith(FcmAnswer.InvalidPayload);

        Assert.Equal(("FCM 400 INVALID_ARGUMENT", false, 1), (failure.Reason, failure.TokenDead, failure.Attempts));
    }

    [Fact]
    public async Task ThirdPartyAuthErrorIsPermanentButKeepsTheToken()
    {
        var failure = await FailWith(FcmAnswer.ThirdPartyAuthError);

        Assert.Equal(("FCM 401 THIRD_PARTY_AUTH_ERROR", false), (failure.Reason, failure.TokenDead));
    }

    [Fact]
    public async Task UnavailableIsRetriedThenDelivered()
    {
        using var sender = fixture.NewSender();
        var device = NewDevice();
        Fcm.Script(device.Token, FcmAnswer.Unavailable);

        var (outcome, delays) = await fixture.Time.Drive(() => sender.SendAsync(Messages.Alert, device));

        Assert.Equal(2, Assert.IsType<Delivered>(outcome).Attempts);
        Assert.InRange(Assert.Single(delays), TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task InternalIsRetriedUntilTheAllowedAttemptsAreUsed()
    {
        using var sender = fixture.NewSender(retry: new Hosting.RetryOptions { MaxAttempts = 2 });
        var device = NewDevice();
        Fcm.Script(device.Token, FcmAnswer.Internal, FcmAnswer.Internal, FcmAnswer.Internal);

        var (outcome, delays) = await fixture.Time.Drive(() => sender.SendAsync(Messages.Alert, device));

        Assert.Equal(("FCM 500 INTERNAL", 2), (Assert.IsType<TransientFailure>(outcome).Reason, ((TransientFailure)outcome).Attempts));
        Assert.Single(delays);
        Assert.Equal(2, Fcm.ReceivedFor(device.Token));
    }

    [Fact]
    public async Task QuotaExceededWaitsForRetryAfter()
    {
        using var sender = fixture.NewSender();
        var device = NewDevice();
        Fcm.Script(device.Token, FcmAnswer.QuotaExceeded(12));

        var (outcome, delays) = await fixture.Time.Drive(() => sender.SendAsync(Messages.Alert, device));

        Assert.Equal(2, Assert.IsType<Delivered>(outcome).Attempts);
        Assert.Equal([TimeSpan.FromSeconds(12)], delays);
    }

    [Fact]
    public async Task OversizeMessageIsRejectedBeforeAnyRequest()
    {
        using var sender = fixture.NewSender();
        var device = NewDevice();

        var outcome = await sender.SendAsync(Messages.Oversize, device);

        Assert.Contains("FCM allows 4096", Assert.IsType<Rejected>(outcome).Reason);
        Assert.Equal(0, Fcm.ReceivedFor(device.Token));
    }

    [Fact]
    public async Task ReservedDataKeyIsRejectedBeforeAnyRequest()
    {
        using var sender = fixture.NewSender();
        var device = NewDevice();

        var outcome = await sender.SendAsync(Messages.Alert with { Data = new() { ["google.c.a"] = "x" } }, device);

        Assert.Contains("reserved", Assert.IsType<Rejected>(outcome).Reason);
        Assert.Equal(0, Fcm.ReceivedFor(device.Token));
    }

    [Fact]
    public async Task ApnsTokenIsNotSentToFcm()
    {
        using var sender = fixture.NewSender();

        var outcome = await sender.SendAsync(Messages.Alert, new DeviceToken(Credentials.NewApnsToken(), PushPlatform.Ios));

        Assert.IsType<Rejected>(outcome);
    }

    private async Task<PermanentFailure> FailWith(FcmAnswer answer)
    {
        using var sender = fixture.NewSender();
        var device = NewDevice();
        Fcm.Script(device.Token, answer);
        var outcome = await sender.SendAsync(Messages.Alert, device);
        Assert.Equal(1, Fcm.ReceivedFor(device.Token));
        return Assert.IsType<PermanentFailure>(outcome);
    }
}
