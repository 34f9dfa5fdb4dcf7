using Orleans.Segments.Campaigns;
using Orleans.Segments.Domain.Campaigns;
using Orleans.Segments.Domain.Events;
using Orleans.Segments.Push.StandIns;
using Orleans.Segments.Users;

namespace Orleans.Segments.Push.Tests;

/// <summary>
/// A campaign push APNs refuses for the moment goes back to the user's outbox and is tried again later, with
/// its reservation given back; one that may have reached APNs is never sent again (invariant 3).
/// </summary>
[Collection(DeliveryCollection.Name)]
public sealed class CampaignProviderRetryTests(DeliveryFixture fixture)
{
    private static readonly CampaignMessage Hello = new("Hi {{ traits.first_name | default: \"there\" }}", "Something for you");

    /// <summary>Each test's campaign fires on its own event, so no other test's campaign pushes to its user.</summary>
    private readonly string trigger = "Cart Abandoned " + Guid.NewGuid().ToString("N")[..8];

    /// <summary>A running marketing campaign that pushes on every <paramref name="eventName"/>, quiet hours off.</summary>
    private async Task<ICampaignGrain> Launch(string eventName)
    {
        string id = "retry-" + Guid.NewGuid().ToString("N")[..8];
        var campaign = fixture.Cluster.Client.GetGrain<ICampaignGrain>(CampaignGrain.Key("shop", id));
        var definition = new CampaignDefinition(id, id, MessageCategory.Marketing, Hello, new CampaignTrigger(TriggerKind.Event) { Event = eventName })
        {
            QuietHours = new QuietHours { Enabled = false },
        };
        Assert.Contains((await campaign.Put(definition)).Status, new[] { CampaignCommandStatus.Created, CampaignCommandStatus.Ok });
        Assert.Equal(CampaignCommandStatus.Ok, (await campaign.Launch()).Status);
        return campaign;
    }

    private async Task<(ICampaignGrain Campaign, IUserGrain User, DeviceToken Phone)> Setup()
    {
        var campaign = await Launch(trigger);
        var key = DeliveryFixture.NewUser();
        var user = fixture.User(key);
        var phone = new DeviceToken(Credentials.NewApnsToken(), PushPlatform.Ios);
        await user.RegisterDevice(phone);
        await user.SetSubscriptions(true, true);
        return (campaign, user, phone);
    }

    private UserEvent Abandoned() => Track(trigger);

    private UserEvent Track(string name) => new(EventKind.Track, Guid.NewGuid().ToString("N"), fixture.Now) { Name = name };

    /// <summary>The campaign's entries in the user's message log, newest first.</summary>
    private static async Task<MessageLogEntry[]> Log(IUserGrain user, ICampaignGrain campaign)
    {
        string id = (await campaign.Get())!.Definition.Id;
        return (await user.GetMessages()).Where(m => m.CampaignId == id).ToArray();
    }

    [Fact]
    public async Task APushApnsRefusesForTheMomentIsSentWhenTheRetryIsDueAndCountedOnce()
    {
        var (campaign, user, phone) = await Setup();
        fixture.Apns.Script(phone.Token, ApnsAnswer.TooManyRequests(120));

        await user.Ingest([Abandoned()]);
        var held = Assert.Single(await Log(user, campaign));
        var midway = (await campaign.GetStats()).Total();
        fixture.Time.Advance(TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(1));
        var log = await Log(user, campaign);
        var stats = (await campaign.GetStats()).Total();

        Assert.Equal((MessageStatus.Deferred, SuppressionReason.ProviderUnavailable), (held.Status, held.Reason));
        Assert.Contains("retry 1 of 3", held.Detail);
        Assert.Equal((1, 0, 0, 1), (midway.Targeted, midway.Sent, midway.FailedTotal, midway.Pending));
        Assert.Equal(MessageStatus.Delivered, log[0].Status);
        Assert.Equal(2, fixture.Apns.ReceivedFor(phone.Token));
        Assert.Equal((1, 1, 0, 0), (stats.Targeted, stats.Sent, stats.FailedTotal, stats.Pending));
    }

    [Fact]
    public async Task ARetryIsDecidedAgainAndCappedWhenOtherPushesTookTheSlotsMeanwhile()
    {
        var (retried, user, phone) = await Setup();
        fixture.Apns.Script(phone.Token, ApnsAnswer.TooManyRequests(120));
        await user.Ingest([Abandoned()]);

        // Why: the shop's default caps leave normal-priority messages 2 of 3 pushes per 24 hours; the refused push
        // gave its slot back, and another campaign's two pushes take both while it waits.
        string shared = "Wishlist Shared " + Guid.NewGuid().ToString("N")[..8];
        var other = await Launch(shared);
        await user.Ingest([Track(shared)]);
        await user.Ingest([Track(shared)]);
        fixture.Time.Advance(TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(1));
        var log = await Log(user, retried);

        Assert.Equal(2, (await Log(user, other)).Count(m => m.Status == MessageStatus.Delivered));
        Assert.Equal((MessageStatus.Suppressed, SuppressionReason.Capped), (log[0].Status, log[0].Reason));
        Assert.Equal(3, fixture.Apns.ReceivedFor(phone.Token));
    }

    [Fact]
    public async Task APushThatMayHaveReachedApnsIsFailedAndNeverSentAgain()
    {
        var (campaign, user, phone) = await Setup();
        fixture.Apns.Script(phone.Token, ApnsAnswer.ResetAfterReading);

        await user.Ingest([Abandoned()]);
        fixture.Time.Advance(TimeSpan.FromHours(1));
        var log = await Log(user, campaign);
        var stats = (await campaign.GetStats()).Total();

        Assert.Equal(MessageStatus.Failed, Assert.Single(log).Status);
        Assert.Equal(1, fixture.Apns.ReceivedFor(phone.Token));
        Assert.Equal((1, 0, 1), (stats.Targeted, stats.Sent, stats.FailedTotal));
    }

    [Fact]
    public async Task AfterTheAllowedRetriesThePushIsFailed()
    {
        var (campaign, user, phone) = await Setup();
        fixture.Apns.Script(phone.Token, ApnsAnswer.TooManyRequests(120), ApnsAnswer.TooManyRequests(120), ApnsAnswer.TooManyRequests(120), ApnsAnswer.TooManyRequests(120));

        await user.Ingest([Abandoned()]);

        // Why: the waits are the provider's 2 minutes, then 4 and 16 (one minute times 4^n, longer than its 2).
        foreach (var wait in new[] { 2, 4, 16 })
        {
            fixture.Time.Advance(TimeSpan.FromMinutes(wait) + TimeSpan.FromSeconds(1));
            await user.GetMessages();
        }

        fixture.Time.Advance(TimeSpan.FromHours(1));
        var log = await Log(user, campaign);
        var stats = (await campaign.GetStats()).Total();

        Assert.Equal(MessageStatus.Failed, log[0].Status);
        Assert.Equal(3, log.Count(m => m.Reason == SuppressionReason.ProviderUnavailable));
        Assert.Equal(4, fixture.Apns.ReceivedFor(phone.Token));
        Assert.Equal((1, 0, 1, 0), (stats.Targeted, stats.Sent, stats.FailedTotal, stats.Pending));
    }

    [Fact]
    public async Task ATransactionalMessageApnsRefusesForTheMomentIsSentOnItsRetryAndItsKeyAnswersMeanwhile()
    {
        var user = fixture.User(DeliveryFixture.NewUser());
        var phone = new DeviceToken(Credentials.NewApnsToken(), PushPlatform.Ios);
        await user.RegisterDevice(phone);
        fixture.Apns.Script(phone.Token, ApnsAnswer.TooManyRequests(120));
        var request = new SendRequest(CampaignDefinition.ReservedTransactionalId, "order-" + Guid.NewGuid().ToString("N")[..8], MessageCategory.Transactional, MessagePriority.High);
        var message = new CampaignMessage("Order confirmed", "Thanks for your order");

        var first = await user.Send(request, message, null);
        var again = await user.Send(request, message, null);
        fixture.Time.Advance(TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(1));
        var log = (await user.GetMessages()).Where(m => m.Occurrence == request.Occurrence).ToArray();
        var afterwards = await user.Send(request, message, null);

        Assert.Equal((MessageStatus.Deferred, SuppressionReason.ProviderUnavailable, false), (first.Status, first.Reason, first.Duplicate));
        Assert.Equal(fixture.Now.AddSeconds(-1), first.DeferredUntil);
        Assert.Equal((MessageStatus.Deferred, true), (again.Status, again.Duplicate));
        Assert.Equal(MessageStatus.Delivered, log[0].Status);
        Assert.Equal((MessageStatus.Delivered, true), (afterwards.Status, afterwards.Duplicate));
        Assert.Equal(2, fixture.Apns.ReceivedFor(phone.Token));
    }
}
