using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Segments.Campaigns;
using Orleans.Segments.Domain.Campaigns;
using Orleans.Segments.Domain.Events;
using Orleans.Segments.Domain.Geofences;
using Orleans.Segments.Domain.Segments;
using Orleans.Segments.Hosting;
using Orleans.Segments.Segments;
using Orleans.Segments.Users;

namespace Orleans.Segments.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class CampaignTests(ClusterFixture fixture)
{
    private static readonly CampaignMessage Hello = new("Hi {{ traits.first_name | default: \"there\" }}", "Something for you");

    private static readonly QuietHours NoQuietHours = new() { Enabled = false };

    private static string NewApp() => "c" + Guid.NewGuid().ToString("N")[..10];

    private ICampaignGrain Campaign(string app, string id) => fixture.Grains.GetGrain<ICampaignGrain>(CampaignGrain.Key(app, id));

    private ISegmentCatalogGrain Catalog(string app) => fixture.Grains.GetGrain<ISegmentCatalogGrain>(app);

    private static CampaignDefinition Definition(string id, CampaignTrigger trigger, MessageCategory category = MessageCategory.Marketing) =>
        new(id, id, category, Hello, trigger) { QuietHours = NoQuietHours };

    private async Task<ICampaignGrain> Launch(string app, CampaignDefinition definition)
    {
        var campaign = Campaign(app, definition.Id);
        var put = await campaign.Put(definition);
        Assert.True(put.Status is CampaignCommandStatus.Created or CampaignCommandStatus.Ok, string.Join("; ", put.Errors));
        var launched = await campaign.Launch();
        Assert.Equal(CampaignCommandStatus.Ok, launched.Status);
        return campaign;
    }

    private async Task<IUserGrain> Reachable(string app, string id, bool marketing = true)
    {
        var user = fixture.User(UserKey.Known(app, id));
        await user.Ingest([fixture.Track("Application Opened")]);
        await user.RegisterDevice(new DeviceToken(Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N"), PushPlatform.Ios));
        await user.SetSubscriptions(marketing, true);
        return user;
    }

    private static async Task<MessageLogEntry[]> Log(IUserGrain user, string campaignId) =>
        (await user.GetMessages()).Where(m => m.CampaignId == campaignId).ToArray();

    [Fact]
    public async Task EventTriggerSendsOncePerEventEvenWhenTheEventIsRetried()
    {
        string app = NewApp();
        await Launch(app, Definition("thanks", new CampaignTrigger(TriggerKind.Event) { Event = "Order Completed" }, MessageCategory.Transactional));
        var user = await Reachable(app, "u1");
        var order = fixture.Track("Order Completed");

        await user.Ingest([order]);
        await user.Ingest([order]);
        await user.Ingest([fixture.Track("Product Viewed")]);

        var entry = Assert.Single(await Log(user, "thanks"));
        Assert.Equal(MessageStatus.Delivered, entry.Status);
        Assert.Equal($"e:{order.MessageId}", entry.Occurrence);
    }

    [Fact]
    public async Task SegmentEntryWithADelaySendsWhenTheDelayHasPassedWithoutAnyEvent()
    {
        string app = NewApp();
        await Catalog(app).PutSegment(new SegmentDefinition("buyers", "Buyers", "count(\"Order Completed\", 30d) >= 1"));
        await Launch(app, Definition("follow-up", new CampaignTrigger(TriggerKind.SegmentEntry) { Segment = "buyers", Delay = TimeSpan.FromHours(2) }));
        var user = await Reachable(app, "u1");

        await user.Ingest([fixture.Track("Order Completed")]);
        var early = await Log(user, "follow-up");
        await fixture.AdvanceAndTick(TimeSpan.FromHours(2) + TimeSpan.FromMinutes(1));
        var later = await Log(user, "follow-up");

        Assert.Empty(early);
        Assert.Equal(MessageStatus.Delivered, Assert.Single(later).Status);
    }

    [Fact]
    public async Task LifecycleTriggerFiresWhenTimeAloneMakesTheUserAtRisk()
    {
        const string app = "fast"; // at risk after 1 day, lapsed after 3 days (see the fixture)
        string id = "winback-" + Guid.NewGuid().ToString("N")[..8];
        await Launch(app, Definition(id, new CampaignTrigger(TriggerKind.Lifecycle) { Stage = "at_risk" }));
        var user = await Reachable(app, "u-" + id);

        await fixture.AdvanceAndTick(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(5));
        var profile = await user.GetProfile();

        Assert.Equal("at_risk", profile!.Lifecycle.Stage);
        Assert.Equal(MessageStatus.Delivered, Assert.Single(await Log(user, id)).Status);
    }

    [Fact]
    public async Task GeofenceEntryRespectsThePerUserCooldown()
    {
        string app = NewApp();
        await Catalog(app).PutGeofence(new Geofence("station", "Central station", new GeoPoint(52.5251, 13.3694), 300, null));
        await Launch(app, Definition("nearby", new CampaignTrigger(TriggerKind.GeofenceEntry) { Geofence = "station", Cooldown = TimeSpan.FromDays(1) }));
        var user = await Reachable(app, "u1");
        UserEvent At(double lat, double lon) => new(EventKind.Track, Guid.NewGuid().ToString("N"), fixture.Now) { Name = "Location Updated", Location = new GeoPoint(lat, lon) };

        await user.Ingest([At(52.5255, 13.3700)]);
        await user.Ingest([At(52.52, 13.405)]);
        fixture.Time.Advance(TimeSpan.FromHours(1));
        await user.Ingest([At(52.5255, 13.3700)]);
        var withinCooldown = await Log(user, "nearby");
        await user.Ingest([At(52.52, 13.405)]);
        fixture.Time.Advance(TimeSpan.FromDays(1));
        await user.Ingest([At(52.5255, 13.3700)]);
        var afterCooldown = await Log(user, "nearby");

        Assert.Single(withinCooldown);
        Assert.Equal(2, afterCooldown.Length);
    }

    [Fact]
    public async Task TriggersOutsideTheAudienceOrBeforeTheStartDateDoNotFire()
    {
        string app = NewApp();
        await Catalog(app).PutSegment(new SegmentDefinition("vip", "VIP", "trait(\"plan\") = \"pro\""));
        await Launch(app, Definition("vip-thanks", new CampaignTrigger(TriggerKind.Event) { Event = "Order Completed" }) with { AudienceSegment = "vip" });
        await Launch(app, Definition("later", new CampaignTrigger(TriggerKind.Event) { Event = "Order Completed" }) with { StartAt = fixture.Now.AddDays(30) });
        var plain = await Reachable(app, "plain");
        var pro = await Reachable(app, "pro");
        await pro.Ingest([new UserEvent(EventKind.Identify, Guid.NewGuid().ToString("N"), fixture.Now) { Traits = new() { ["plan"] = TraitValue.Of("pro", fixture.Now) } }]);

        await plain.Ingest([fixture.Track("Order Completed")]);
        await pro.Ingest([fixture.Track("Order Completed")]);

        Assert.Empty(await Log(plain, "vip-thanks"));
        Assert.Single(await Log(pro, "vip-thanks"));
        Assert.Empty(await Log(pro, "later"));
    }

    [Fact]
    public async Task BroadcastIsThrottledShowsProgressAndResumesAfterDeactivationWithoutSecondCopies()
    {
        string app = NewApp();
        await Catalog(app).PutSegment(new SegmentDefinition("all", "Everyone", "has_push_token"));
        var users = new List<IUserGrain>();
        for (int i = 0; i < 25; i++) users.Add(await Reachable(app, $"u{i:00}"));
        var campaign = await Launch(app, Definition("news", new CampaignTrigger(TriggerKind.Manual)) with { AudienceSegment = "all", ThrottlePerMinute = 10 });

        var started = await campaign.SendNow();
        await campaign.Tick();
        var afterFirstMinute = (await campaign.Get())!.Broadcast!;
        var again = await campaign.SendNow();
        fixture.Time.Advance(TimeSpan.FromMinutes(1));
        await campaign.Tick();
        await fixture.DeactivateAll();
        fixture.Time.Advance(TimeSpan.FromMinutes(1));
        await campaign.Tick();
        var done = (await campaign.Get())!;

        Assert.Equal(CampaignCommandStatus.Ok, started.Status);
        Assert.Equal(10, afterFirstMinute.Offered);
        Assert.Equal(25, afterFirstMinute.AudienceAtStart);
        Assert.Equal(CampaignCommandStatus.Conflict, again.Status);
        Assert.Null(done.Broadcast);
        Assert.Equal(25, Assert.Single(done.PastBroadcasts).Offered);
        foreach (var user in users)
        {
            Assert.Equal(MessageStatus.Delivered, Assert.Single(await Log(user, "news")).Status);
        }

        var stats = (await campaign.GetStats()).Total();
        Assert.Equal(25, stats.Targeted);
        Assert.Equal(25, stats.Sent);
    }

    [Fact]
    public async Task OfferingTheSameOccurrenceAgainChangesNothingAndAnswersTheFirstDecision()
    {
        string app = NewApp();
        await Catalog(app).PutSegment(new SegmentDefinition("all", "Everyone", "has_push_token"));
        var user = await Reachable(app, "u1");
        var campaign = await Launch(app, Definition("news", new CampaignTrigger(TriggerKind.Manual)) with { AudienceSegment = "all" });
        var offer = new CampaignOffer("news", "manual-1", fixture.Now, null, MissedLocalTime.NextDay, 0);

        var first = await user.Offer(offer);
        var second = await user.Offer(offer);

        Assert.Equal(MessageStatus.Delivered, first!.Status);
        Assert.Equal("default", first.Variant);
        Assert.True(second!.Duplicate);
        Assert.Equal(first.NotificationId, second.NotificationId);
        Assert.Equal(MessageStatus.Delivered, second.Status);
        Assert.Single(await Log(user, "news"));

        // The broadcast that offers counts the answer with its cursor; the user grain does not count it again.
        Assert.Equal(0, (await campaign.GetStats()).Total().Targeted);
    }

    [Fact]
    public async Task StatisticsAddUpPerArmWithVariantsHoldoutAndSuppressions()
    {
        string app = NewApp();
        await Catalog(app).PutSegment(new SegmentDefinition("all", "Everyone", "has_push_token"));
        var users = new List<IUserGrain>();
        for (int i = 0; i < 60; i++) users.Add(await Reachable(app, $"u{i:00}", marketing: i % 6 != 0));
        var definition = Definition("ab", new CampaignTrigger(TriggerKind.Manual)) with
        {
            AudienceSegment = "all",
            HoldoutPercent = 20,
            Variants = [new VariantMessage("a", 50, Hello), new VariantMessage("b", 50, Hello with { Title = "Hello!" })],
        };
        var campaign = await Launch(app, definition);

        await campaign.SendNow();
        await campaign.Tick();
        var stats = await campaign.GetStats();

        var expectedHoldout = Enumerable.Range(0, 60).Count(i => VariantAssigner.Assign("ab", $"u{i:00}", 20, definition.Splits()) == VariantAssigner.Holdout);
        Assert.Equal(expectedHoldout, stats.Variants[VariantAssigner.Holdout].Suppressed["holdout"]);
        var total = stats.Total();
        Assert.Equal(60, total.Targeted);
        Assert.Equal(total.Targeted, total.Sent + total.SuppressedTotal + total.FailedTotal + total.Pending);
        Assert.Equal(0, total.Pending);
        foreach (var arm in stats.Variants.Values) Assert.Equal(arm.Targeted, arm.Sent + arm.SuppressedTotal + arm.FailedTotal + arm.Pending);
        Assert.True(total.Suppressed.GetValueOrDefault("no_consent") > 0);
        Assert.Equal(["a", "b", "holdout"], stats.Variants.Keys.Order());
    }

    [Fact]
    public async Task OpensConversionsAndOptOutsAreCreditedToTheArmAndTheGuardPausesTheCampaign()
    {
        string app = NewApp();
        await Catalog(app).PutSegment(new SegmentDefinition("all", "Everyone", "has_push_token"));
        var users = new List<IUserGrain>();
        for (int i = 0; i < 4; i++) users.Add(await Reachable(app, $"u{i}"));
        var campaign = await Launch(app, Definition("promo", new CampaignTrigger(TriggerKind.Manual)) with
        {
            AudienceSegment = "all",
            ConversionEvent = "Order Completed",
            OptOutThreshold = 0.3,
            OptOutMinimumSample = 4,
        });
        await campaign.SendNow();
        await campaign.Tick();
        var sent = (await Log(users[0], "promo")).Single();

        await users[0].Ingest([fixture.Track("Push Notification Tapped") with { NotificationId = sent.NotificationId }]);
        await users[0].Ingest([fixture.Track("Push Notification Tapped") with { NotificationId = sent.NotificationId }]);
        await users[0].Ingest([fixture.Track("Order Completed")]);
        await users[1].Ingest([fixture.Track("Order Completed", at: fixture.Now.AddDays(-1))]);
        await users[1].SetSubscriptions(false, null);
        var beforeGuard = (await campaign.Get())!.Status;
        await users[2].SetSubscriptions(false, null);
        await campaign.CheckOptOutGuard();
        var view = (await campaign.Get())!;
        var stats = (await campaign.GetStats()).Total();

        Assert.Equal(1, stats.Opened);
        Assert.Equal(1, stats.Converted);
        Assert.Equal(2, stats.OptedOut);
        Assert.Equal(CampaignStatus.Running, beforeGuard);
        Assert.Equal(CampaignStatus.Paused, view.Status);
        Assert.Contains("opt-out guard", view.StatusReason);
    }

    [Fact]
    public async Task QuietHoursHoldABroadcastMessageUntilTheyEnd()
    {
        string app = NewApp();
        await Catalog(app).PutSegment(new SegmentDefinition("all", "Everyone", "has_push_token"));
        var user = await Reachable(app, "u1");
        var now = TimeOnly.FromDateTime(fixture.Now);
        var quiet = new QuietHours { Start = now.AddHours(-1), End = now.AddHours(2) };
        var campaign = await Launch(app, Definition("late", new CampaignTrigger(TriggerKind.Manual)) with { AudienceSegment = "all", QuietHours = quiet });

        await campaign.SendNow();
        await campaign.Tick();
        var held = await Log(user, "late");
        var pending = (await campaign.GetStats()).Total().Pending;
        await fixture.AdvanceAndTick(TimeSpan.FromHours(2) + TimeSpan.FromMinutes(1));
        var after = await Log(user, "late");
        var stats = (await campaign.GetStats()).Total();

        Assert.Equal(MessageStatus.Deferred, Assert.Single(held).Status);
        Assert.Equal(1, pending);
        Assert.Equal(MessageStatus.Delivered, after[0].Status);
        Assert.Equal(1, stats.Targeted);
        Assert.Equal(1, stats.Sent);
        Assert.Equal(0, stats.Pending);
    }

    [Fact]
    public async Task HeldMessageWhoseTimeToLivePassedBeforeItWasDecidedExpires()
    {
        string app = NewApp();
        await Catalog(app).PutSegment(new SegmentDefinition("buyers", "Buyers", "count(\"Order Completed\", 30d) >= 1"));
        var campaign = await Launch(app, Definition("later", new CampaignTrigger(TriggerKind.SegmentEntry) { Segment = "buyers", Delay = TimeSpan.FromHours(1) }) with
        {
            TimeToLive = TimeSpan.FromHours(1),
        });
        var user = await Reachable(app, "u1");
        await user.Ingest([fixture.Track("Order Completed")]);

        fixture.Time.Advance(TimeSpan.FromHours(3)); // the wake-up service never ran: the message is looked at late
        var entry = Assert.Single(await Log(user, "later"));
        var stats = (await campaign.GetStats()).Total();

        Assert.Equal(SuppressionReason.Expired, entry.Reason);
        Assert.Equal(1, stats.Suppressed["expired"]);
        Assert.Equal(0, stats.Pending);
    }

    [Fact]
    public async Task HeldMessagesOfACancelledCampaignAreDroppedWithAReason()
    {
        string app = NewApp();
        await Catalog(app).PutSegment(new SegmentDefinition("buyers", "Buyers", "count(\"Order Completed\", 30d) >= 1"));
        var campaign = await Launch(app, Definition("later", new CampaignTrigger(TriggerKind.SegmentEntry) { Segment = "buyers", Delay = TimeSpan.FromHours(1) }));
        var user = await Reachable(app, "u1");
        await user.Ingest([fixture.Track("Order Completed")]);

        await campaign.Cancel();
        await fixture.AdvanceAndTick(TimeSpan.FromHours(1) + TimeSpan.FromMinutes(1));
        var entry = Assert.Single(await Log(user, "later"));
        var relaunch = await campaign.Launch();

        Assert.Equal(MessageStatus.Suppressed, entry.Status);
        Assert.Equal(SuppressionReason.CampaignStopped, entry.Reason);
        Assert.Equal(CampaignCommandStatus.Conflict, relaunch.Status);
    }

    [Fact]
    public async Task ScheduledBroadcastStartsAtItsTimeAndCompletes()
    {
        string app = NewApp();
        await Catalog(app).PutSegment(new SegmentDefinition("all", "Everyone", "has_push_token"));
        var user = await Reachable(app, "u1");
        var at = fixture.Now.AddHours(1);
        var campaign = await Launch(app, Definition("weekly", new CampaignTrigger(TriggerKind.Schedule) { At = at }) with { AudienceSegment = "all" });

        await campaign.Tick();
        var before = await Log(user, "weekly");
        fixture.Time.Advance(TimeSpan.FromHours(1));
        await campaign.Tick();
        await campaign.Tick();
        var view = (await campaign.Get())!;

        Assert.Empty(before);
        Assert.Single(await Log(user, "weekly"));
        Assert.Equal(CampaignStatus.Completed, view.Status);
    }

    [Fact]
    public async Task LocalTimeBroadcastReachesEachUserAtTheWallClockTimeOfTheirZone()
    {
        string app = NewApp();
        await Catalog(app).PutSegment(new SegmentDefinition("all", "Everyone", "has_push_token"));
        var tokyo = await Reachable(app, "tokyo");
        var newYork = await Reachable(app, "new-york");
        await tokyo.Ingest([fixture.Track("Application Opened") with { TimeZone = "Asia/Tokyo" }]);
        await newYork.Ingest([fixture.Track("Application Opened") with { TimeZone = "America/New_York" }]);
        var wall = DateTime.SpecifyKind(fixture.Now.Date.AddDays(2).AddHours(9), DateTimeKind.Unspecified);
        var campaign = await Launch(app, Definition("morning", new CampaignTrigger(TriggerKind.Schedule) { At = wall, LocalTime = true }) with { AudienceSegment = "all" });

        fixture.Time.Advance(wall.AddHours(-14) - fixture.Now);
        await campaign.Tick();
        await fixture.AdvanceAndTick(wall.AddHours(-9) - fixture.Now + TimeSpan.FromMinutes(1));
        var tokyoAtNine = await Log(tokyo, "morning");
        var newYorkThen = await Log(newYork, "morning");
        var nyNine = CampaignSchedule.InZone(wall, "America/New_York");
        await fixture.AdvanceAndTick(nyNine - fixture.Now + TimeSpan.FromMinutes(1));

        Assert.Equal(MessageStatus.Delivered, Assert.Single(tokyoAtNine).Status);
        Assert.Empty(newYorkThen);
        var delivered = Assert.Single(await Log(newYork, "morning"));
        Assert.True(delivered.At >= nyNine);
    }

    [Fact]
    public void ConfiguredMarketingCapsReplaceTheDefaultsInsteadOfAddingToThem()
    {
        var options = fixture.Cluster.Silos[0].ServiceProvider.GetRequiredService<IOptionsMonitor<SegmentsOptions>>().CurrentValue;

        var rule = Assert.Single(options.PolicyFor("generous").Caps.Marketing);
        Assert.Equal(5, rule.Limit);
        Assert.Equal(TimeSpan.FromDays(1), rule.Window);
        Assert.Equal(2, options.PolicyFor("shop").Caps.Marketing.Count); // the defaults: 3 per 24 h, 10 per 7 days
        Assert.True(options.PolicyFor("generous").Caps.SilentCountsAsMarketing);
        Assert.False(options.PolicyFor("shop").Caps.SilentCountsAsMarketing);
    }

    [Fact]
    public async Task SegmentsAndGeofencesACampaignUsesCannotBeDeleted()
    {
        string app = NewApp();
        await Catalog(app).PutSegment(new SegmentDefinition("vip", "VIP", "trait(\"plan\") = \"pro\""));
        await Catalog(app).PutGeofence(new Geofence("station", "Central station", new GeoPoint(52.5251, 13.3694), 300, null));
        await Campaign(app, "c1").Put(Definition("c1", new CampaignTrigger(TriggerKind.GeofenceEntry) { Geofence = "station" }) with { AudienceSegment = "vip" });

        var segment = await Catalog(app).DeleteSegment("vip");
        var fence = await Catalog(app).DeleteGeofence("station");
        var unknown = await Campaign(app, "c2").Put(Definition("c2", new CampaignTrigger(TriggerKind.SegmentEntry) { Segment = "nope" }));

        Assert.Equal(CatalogChangeStatus.InUse, segment.Status);
        Assert.Contains("campaign 'c1'", segment.Errors[0]);
        Assert.Equal(CatalogChangeStatus.InUse, fence.Status);
        Assert.Equal(CampaignCommandStatus.Invalid, unknown.Status);
        Assert.Contains("no segment 'nope'", unknown.Errors[0]);
    }

    [Fact]
    public async Task ATemplateThatPassesALimitForOneUserIsRecordedAsATemplateErrorForThatUserOnly()
    {
        string app = NewApp();
        var message = new CampaignMessage("Your {{ traits.n }} picks", "{% for i in (1..traits.n) %}*{% endfor %}");
        await Launch(app, Definition("picks", new CampaignTrigger(TriggerKind.Event) { Event = "Order Completed" }) with { Message = message });
        var modest = await Reachable(app, "modest");
        var hostile = await Reachable(app, "hostile");
        await modest.Ingest([new UserEvent(EventKind.Identify, Guid.NewGuid().ToString("N"), fixture.Now) { Traits = new() { ["n"] = TraitValue.Of(3, fixture.Now) } }]);
        await hostile.Ingest([new UserEvent(EventKind.Identify, Guid.NewGuid().ToString("N"), fixture.Now) { Traits = new() { ["n"] = TraitValue.Of(1_000_000_000, fixture.Now) } }]);

        await modest.Ingest([fixture.Track("Order Completed")]);
        await hostile.Ingest([fixture.Track("Order Completed")]);

        Assert.Equal(MessageStatus.Delivered, Assert.Single(await Log(modest, "picks")).Status);
        var failed = Assert.Single(await Log(hostile, "picks"));
        Assert.Equal(MessageStatus.Suppressed, failed.Status);
        Assert.Equal(SuppressionReason.TemplateError, failed.Reason);
        Assert.Contains("body: The maximum collection size of 1000 items has been reached.", failed.Detail);
        var stats = (await Campaign(app, "picks").GetStats()).Total();
        Assert.Equal(1, stats.Sent);
        Assert.Equal(1, stats.Suppressed["template_error"]);
    }
}
