using Orleans.Segments.Campaigns;
using Orleans.Segments.Domain.Campaigns;
using Orleans.Segments.Domain.Events;
using Orleans.Segments.Domain.Segments;
using Orleans.Segments.Segments;
using Orleans.Segments.Users;

namespace Orleans.Segments.Grains.Tests;

/// <summary>
/// A message with translations, sent by the user grains: each user gets the texts of their locale (SDK context or
/// <c>locale</c> trait) in the stated fallback order, the log says which, and the statistics count per language.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class LocalizationTests(ClusterFixture fixture)
{
    private static readonly CampaignMessage Welcome = new("Hi {{ traits.first_name | default: \"there\" }}", "Something for you")
    {
        Translations = new(StringComparer.Ordinal)
        {
            ["de"] = new MessageTranslation("Hallo {{ traits.first_name | default: \"du\" }}", "Etwas für dich"),
            ["de-AT"] = new MessageTranslation("Servus {{ traits.first_name | default: \"du\" }}", "Etwas für dich"),
            ["pt-BR"] = new MessageTranslation("Olá", "Algo para você"),
        },
    };

    private static string NewApp() => "l" + Guid.NewGuid().ToString("N")[..10];

    private async Task<IUserGrain> UserIn(string app, string id, string? deviceLocale, string? localeTrait = null)
    {
        var user = fixture.User(UserKey.Known(app, id));
        var opened = fixture.Track("Application Opened") with
        {
            Client = deviceLocale is null ? null : new ClientContext { Key = "ios|" + id, DeviceType = "ios", Locale = deviceLocale },
        };
        await user.Ingest([opened]);
        if (localeTrait is not null)
        {
            await user.Ingest([new UserEvent(EventKind.Identify, Guid.NewGuid().ToString("N"), fixture.Now) { Traits = new() { ["locale"] = TraitValue.Of(localeTrait, fixture.Now) } }]);
        }

        await user.RegisterDevice(new DeviceToken(Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N"), PushPlatform.Ios));
        await user.SetSubscriptions(true, true);
        return user;
    }

    private async Task<ICampaignGrain> Launch(string app, CampaignDefinition definition)
    {
        var campaign = fixture.Grains.GetGrain<ICampaignGrain>(CampaignGrain.Key(app, definition.Id));
        var put = await campaign.Put(definition);
        Assert.True(put.Status is CampaignCommandStatus.Created or CampaignCommandStatus.Ok, string.Join("; ", put.Errors));
        Assert.Equal(CampaignCommandStatus.Ok, (await campaign.Launch()).Status);
        return campaign;
    }

    [Fact]
    public async Task EachUserGetsTheTranslationOfTheirLocaleAndTheStatisticsCountPerLanguage()
    {
        string app = NewApp();
        var users = new Dictionary<string, IUserGrain>
        {
            ["vienna"] = await UserIn(app, "vienna", "de_AT"), // Android's form of de-AT: the exact translation
            ["zurich"] = await UserIn(app, "zurich", "de-CH"), // no de-CH: its language, de
            ["lisbon"] = await UserIn(app, "lisbon", "pt-PT"), // no pt-PT or pt: another region, pt-BR
            ["paris"] = await UserIn(app, "paris", "fr-FR"), // no French: the default
            ["unknown"] = await UserIn(app, "unknown", null), // no locale at all: the default
            ["chosen"] = await UserIn(app, "chosen", "fr-FR", localeTrait: "de-AT"), // the app's own setting wins
        };
        var campaign = await Launch(app, new CampaignDefinition("welcome", "Welcome", MessageCategory.Marketing, Welcome, new CampaignTrigger(TriggerKind.Event) { Event = "Signed Up" })
        {
            QuietHours = new QuietHours { Enabled = false },
        });

        foreach (var user in users.Values) await user.Ingest([fixture.Track("Signed Up")]);
        var sent = new Dictionary<string, MessageLogEntry>();
        foreach (var (name, user) in users) sent[name] = Assert.Single(await user.GetMessages(), m => m.CampaignId == "welcome");
        var previews = new Dictionary<string, RenderedMessage?>();
        foreach (var (name, user) in users) previews[name] = (await user.Preview(new SendRequest("welcome", "preview", MessageCategory.Marketing, MessagePriority.Normal), Welcome)).Rendered;

        Assert.All(sent.Values, m => Assert.Equal(MessageStatus.Delivered, m.Status));
        Assert.Equal("de-AT", sent["vienna"].Language);
        Assert.Equal("de", sent["zurich"].Language);
        Assert.Equal("pt-BR", sent["lisbon"].Language);
        Assert.Null(sent["paris"].Language);
        Assert.Null(sent["unknown"].Language);
        Assert.Equal("de-AT", sent["chosen"].Language);
        Assert.Equal("Servus du", previews["vienna"]!.Title);
        Assert.Equal("Hallo du", previews["zurich"]!.Title);
        Assert.Equal("Olá", previews["lisbon"]!.Title);
        Assert.Equal("Hi there", previews["paris"]!.Title);
        Assert.Equal(Locales.Default, previews["paris"]!.Language);

        await users["vienna"].Ingest([fixture.Track("Push Notification Tapped") with { NotificationId = sent["vienna"].NotificationId }]);
        await users["paris"].Ingest([fixture.Track("Push Notification Tapped") with { NotificationId = sent["paris"].NotificationId }]);
        var stats = (await campaign.GetStats()).Total();

        Assert.Equal(6, stats.Sent);
        Assert.Equal(new Dictionary<string, long> { ["de-AT"] = 2, ["de"] = 1, ["pt-BR"] = 1, [Locales.Default] = 2 }, stats.SentByLanguage);
        Assert.Equal(new Dictionary<string, long> { ["de-AT"] = 1, [Locales.Default] = 1 }, stats.OpenedByLanguage);
    }

    [Fact]
    public async Task ABroadcastCountsItsSendsPerLanguage()
    {
        string app = NewApp();
        await fixture.Grains.GetGrain<ISegmentCatalogGrain>(app).PutSegment(new SegmentDefinition("all", "Everyone", "has_push_token"));
        for (int i = 0; i < 4; i++) await UserIn(app, $"de{i}", "de-DE");
        for (int i = 0; i < 3; i++) await UserIn(app, $"en{i}", "en-GB");
        var campaign = await Launch(app, new CampaignDefinition("news", "News", MessageCategory.Marketing, Welcome, new CampaignTrigger(TriggerKind.Manual))
        {
            AudienceSegment = "all",
            QuietHours = new QuietHours { Enabled = false },
        });

        await campaign.SendNow();
        await campaign.Tick();
        var stats = (await campaign.GetStats()).Total();

        Assert.Equal(7, stats.Sent);
        Assert.Equal(new Dictionary<string, long> { ["de"] = 4, [Locales.Default] = 3 }, stats.SentByLanguage);
    }
}
