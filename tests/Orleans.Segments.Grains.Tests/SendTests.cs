using Orleans.Segments.Domain.Campaigns;
using Orleans.Segments.Domain.Events;
using Orleans.Segments.Users;

namespace Orleans.Segments.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class SendTests(ClusterFixture fixture)
{
    private static readonly CampaignMessage Hello = new("Hi {{ traits.first_name | default: \"there\" }}", "News for you");

    private async Task<IUserGrain> ReachableUser(UserKey key)
    {
        var user = fixture.User(key);
        await user.Ingest([fixture.Track("Application Opened")]);
        await user.RegisterDevice(new DeviceToken(Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N"), PushPlatform.Ios));
        await user.SetSubscriptions(true, true);
        return user;
    }

    private static SendRequest Marketing(string campaign, string occurrence = "1", MessagePriority priority = MessagePriority.Normal) =>
        new(campaign, occurrence, MessageCategory.Marketing, priority) { QuietHours = new QuietHours { Enabled = false } };

    [Fact]
    public async Task DozensOfCampaignsFiringAtOnceNeverPushAUserPastACap()
    {
        var users = new List<IUserGrain>();
        for (int i = 0; i < 20; i++) users.Add(await ReachableUser(ClusterFixture.NewUser()));

        var sends = from campaign in Enumerable.Range(0, 30)
                    from user in users
                    select user.Send(Marketing($"c{campaign}", priority: campaign % 5 == 0 ? MessagePriority.High : MessagePriority.Normal), Hello, null);
        var results = await Task.WhenAll(sends);

        foreach (var user in users)
        {
            var log = await user.GetMessages();
            int delivered = log.Count(m => m.Status == MessageStatus.Delivered);
            Assert.True(delivered <= 3, $"a user got {delivered} marketing pushes within 24 hours; the cap is 3");
            Assert.Equal(3, delivered);
        }

        Assert.Equal(20 * 27, results.Count(r => r.Reason == SuppressionReason.Capped));
    }

    [Fact]
    public async Task RetriedSendIsHandedOverOnceAndAnswersTheSameId()
    {
        var user = await ReachableUser(ClusterFixture.NewUser());

        var first = await user.Send(Marketing("welcome", "1"), Hello, "a");
        var retry = await user.Send(Marketing("welcome", "1"), Hello, "a");

        Assert.Equal(MessageStatus.Delivered, first.Status);
        Assert.True(retry.Duplicate);
        Assert.Equal(first.NotificationId, retry.NotificationId);
        Assert.Single(await user.GetMessages());
    }

    [Fact]
    public async Task SuppressionsAreLoggedWithTheirReason()
    {
        var key = ClusterFixture.NewUser();
        var user = fixture.User(key);
        await user.Ingest([fixture.Track("Application Opened")]);

        var noDevice = await user.Send(Marketing("promo"), Hello, null);
        await user.RegisterDevice(new DeviceToken(new string('c', 64), PushPlatform.Ios));
        var noConsent = await user.Send(Marketing("promo", "2"), Hello, null);
        var log = await user.GetMessages();

        Assert.Equal(SuppressionReason.NoConsent, noDevice.Reason);
        Assert.Equal(SuppressionReason.NoConsent, noConsent.Reason);
        Assert.All(log, m => Assert.Equal(MessageStatus.Suppressed, m.Status));
        Assert.Equal(2, log.Length);
    }

    [Fact]
    public async Task DeviceIsCheckedAfterConsent()
    {
        var user = fixture.User(ClusterFixture.NewUser());
        await user.Ingest([fixture.Track("Application Opened")]);
        await user.SetSubscriptions(true, true);

        var result = await user.Send(Marketing("promo"), Hello, null);

        Assert.Equal(SuppressionReason.NoDevice, result.Reason);
    }

    [Fact]
    public async Task UnknownUserIsNotCreatedBySending()
    {
        var key = ClusterFixture.NewUser();

        var result = await fixture.User(key).Send(Marketing("promo"), Hello, null);

        Assert.Equal(MessageStatus.Suppressed, result.Status);
        Assert.Null(await fixture.User(key).GetProfile());
    }
}
