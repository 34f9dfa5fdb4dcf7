using Orleans.Segments.Campaigns;
using Orleans.Segments.Domain.Campaigns;
using Orleans.Segments.Domain.Events;
using Orleans.Segments.Users;

namespace Orleans.Segments.Push.Tests;

/// <summary>
/// Campaigns with rich and silent messages, decided by the user grains and sent by the real senders to the APNs
/// and FCM stand-ins, which check what Apple and Google check.
/// </summary>
[Collection(DeliveryCollection.Name)]
public sealed class RichAndSilentCampaignTests(DeliveryFixture fixture)
{
    private readonly string trigger = "Catalog Updated " + Guid.NewGuid().ToString("N")[..8];

    private async Task Launch(MessageCategory category, CampaignMessage message, QuietHours quietHours)
    {
        string id = "rich-" + Guid.NewGuid().ToString("N")[..8];
        var campaign = fixture.Cluster.Client.GetGrain<ICampaignGrain>(CampaignGrain.Key("shop", id));
        var put = await campaign.Put(new CampaignDefinition(id, id, category, message, new CampaignTrigger(TriggerKind.Event) { Event = trigger }) { QuietHours = quietHours });
        Assert.True(put.Status is CampaignCommandStatus.Created or CampaignCommandStatus.Ok, string.Join("; ", put.Errors));
        Assert.Equal(CampaignCommandStatus.Ok, (await campaign.Launch()).Status);
    }

    private async Task<(IUserGrain User, DeviceToken Iphone, DeviceToken Pixel)> UserWithTwoPhones(bool marketing)
    {
        var user = fixture.User(DeliveryFixture.NewUser());
        var iphone = new DeviceToken(Credentials.NewApnsToken(), PushPlatform.Ios);
        var pixel = new DeviceToken(Credentials.NewFcmToken(), PushPlatform.Android);
        await user.RegisterDevice(iphone);
        await user.RegisterDevice(pixel);
        await user.SetSubscriptions(marketing, true);
        return (user, iphone, pixel);
    }

    private UserEvent Fired() => new(EventKind.Track, Guid.NewGuid().ToString("N"), fixture.Now) { Name = trigger };

    [Fact]
    public async Task ASilentCampaignReachesAUserWithoutConsentInQuietHoursAsABackgroundAndADataPush()
    {
        var allDay = new QuietHours { Enabled = true, Start = new TimeOnly(0, 0), End = new TimeOnly(23, 59) };
        await Launch(MessageCategory.Silent, new CampaignMessage("", "") { Data = new() { ["sync"] = "catalog" } }, allDay);
        var (user, iphone, pixel) = await UserWithTwoPhones(marketing: false);

        await user.Ingest([Fired()]);

        var sent = Assert.Single(await user.GetMessages(), m => m.CampaignId.StartsWith("rich-", StringComparison.Ordinal));
        Assert.Equal(MessageStatus.Delivered, sent.Status);
        Assert.Equal("accepted for 2 of 2 device(s)", sent.Detail);
        var apns = Assert.Single(fixture.Apns.Received, r => r.DeviceToken == iphone.Token);
        Assert.Equal(("background", "5"), (apns.Headers["apns-push-type"], apns.Headers["apns-priority"]));
        Assert.Equal(1, apns.Payload.GetProperty("aps").GetProperty("content-available").GetInt32());
        Assert.False(apns.Payload.GetProperty("aps").TryGetProperty("alert", out _));
        Assert.Equal("catalog", apns.Payload.GetProperty("sync").GetString());
        var fcm = Assert.Single(fixture.Fcm.Received, r => r.DeviceToken == pixel.Token).Message;
        Assert.False(fcm.TryGetProperty("notification", out _));
        Assert.Equal("catalog", fcm.GetProperty("data").GetProperty("sync").GetString());
        Assert.Equal(sent.NotificationId, fcm.GetProperty("data").GetProperty("notification_id").GetString());
    }

    [Fact]
    public async Task ARichCampaignSendsItsImageButtonsCategoryBadgeAndThreadToBothProviders()
    {
        var message = new CampaignMessage("New arrivals", "Spring shoes are in")
        {
            Image = "https://cdn.example.com/spring.jpg",
            Buttons = [new PushButton("buy", "Buy now") { DeepLink = "shop://buy" }, new PushButton("later", "Later")],
            Category = "SHOP_ACTIONS", Badge = 1, ThreadId = "arrivals", ChannelId = "news",
        };
        await Launch(MessageCategory.Marketing, message, new QuietHours { Enabled = false });
        var (user, iphone, pixel) = await UserWithTwoPhones(marketing: true);

        await user.Ingest([Fired()]);

        Assert.Equal(MessageStatus.Delivered, Assert.Single(await user.GetMessages(), m => m.CampaignId.StartsWith("rich-", StringComparison.Ordinal)).Status);
        var apns = Assert.Single(fixture.Apns.Received, r => r.DeviceToken == iphone.Token);
        var aps = apns.Payload.GetProperty("aps");
        Assert.Equal(("alert", "10"), (apns.Headers["apns-push-type"], apns.Headers["apns-priority"]));
        Assert.Equal(1, aps.GetProperty("mutable-content").GetInt32());
        Assert.Equal(("SHOP_ACTIONS", "arrivals", 1), (aps.GetProperty("category").GetString(), aps.GetProperty("thread-id").GetString(), aps.GetProperty("badge").GetInt32()));
        Assert.Equal("https://cdn.example.com/spring.jpg", apns.Payload.GetProperty("image_url").GetString());
        Assert.Equal("""[{"id":"buy","title":"Buy now","deep_link":"shop://buy"},{"id":"later","title":"Later"}]""", apns.Payload.GetProperty("buttons").GetString());
        var fcm = Assert.Single(fixture.Fcm.Received, r => r.DeviceToken == pixel.Token).Message;
        Assert.Equal("https://cdn.example.com/spring.jpg", fcm.GetProperty("notification").GetProperty("image").GetString());
        var android = fcm.GetProperty("android").GetProperty("notification");
        Assert.Equal(("news", "SHOP_ACTIONS", 1), (android.GetProperty("channel_id").GetString(), android.GetProperty("click_action").GetString(), android.GetProperty("notification_count").GetInt32()));
        Assert.Equal(apns.Payload.GetProperty("buttons").GetString(), fcm.GetProperty("data").GetProperty("buttons").GetString());
    }
}
