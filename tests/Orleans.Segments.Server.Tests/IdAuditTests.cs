using Orleans.Segments.Campaigns;
using Orleans.Segments.Domain.Campaigns;
using Orleans.Segments.Domain.Events;
using Orleans.Segments.Domain.Geofences;
using Orleans.Segments.Domain.Segments;
using Orleans.Segments.Segments;
using Orleans.Segments.Server.Hosting;

namespace Orleans.Segments.Server.Tests;

public sealed class IdAuditTests
{
    [Fact]
    public void StoredIdsThatBreakTheRuleAreReportedPrintably()
    {
        var definitions = new CatalogSnapshot(3,
            [new SegmentDefinition("ok", "Fine", "has_push_token"), new SegmentDefinition("nl-seg\n", "Saved before the rule", "has_push_token")],
            [new Geofence("st\u0430tion", "Look-alike", new GeoPoint(1, 1), 10, null)],
            []);
        var campaigns = new CampaignRegistrySnapshot(1,
        [
            new CampaignRegistration(new CampaignDefinition("welcome\r", "x", MessageCategory.Marketing, new CampaignMessage("t", "b"), new CampaignTrigger(TriggerKind.Manual)), CampaignStatus.Draft),
            new CampaignRegistration(new CampaignDefinition("welcome", "x", MessageCategory.Marketing, new CampaignMessage("t", "b"), new CampaignTrigger(TriggerKind.Manual)), CampaignStatus.Draft),
        ]);

        var invalid = IdAudit.InvalidIds(definitions, campaigns).ToList();

        Assert.Equal([("segment", "nl-seg\\u000a"), ("geofence", "st\u0430tion"), ("campaign", "welcome\\u000d")], invalid);
    }
}
