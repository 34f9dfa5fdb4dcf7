using Microsoft.AspNetCore.Mvc.RazorPages;
using Orleans.Segments.Domain.Campaigns;

namespace Orleans.Segments.Server.Console.Campaigns;

/// <summary>The app's campaigns: status, trigger, next run, a broadcast under way, and their counts.</summary>
public sealed class IndexModel(CampaignService campaigns) : PageModel
{
    public IReadOnlyList<CampaignSummary> Campaigns { get; private set; } = [];

    public async Task OnGetAsync() => Campaigns = await campaigns.ListAsync(ConsoleAuth.AppId(HttpContext));

    /// <summary>A trigger in a few words: "event Order Completed after 1h", "schedule 0 9 * * 1 (local time)".</summary>
    public static string Describe(CampaignTrigger t)
    {
        string after = t.Delay > TimeSpan.Zero ? $" after {Shared.Format.Duration(t.Delay)}" : "";
        return t.Kind switch
        {
            TriggerKind.Event => $"event “{t.Event}”{after}",
            TriggerKind.SegmentEntry => $"enters segment {t.Segment}{after}",
            TriggerKind.Lifecycle => $"becomes {t.Stage}{after}",
            TriggerKind.GeofenceEntry => $"enters geofence {t.Geofence}{after}",
            TriggerKind.Schedule when t.Cron is not null => $"schedule {t.Cron}{(t.LocalTime ? " (users' local time)" : t.TimeZone is { } zone ? $" ({zone})" : " (UTC)")}",
            TriggerKind.Schedule => $"once at {Shared.Format.Time(t.At)}{(t.LocalTime ? " users' local time" : "")}".Replace(" UTC users'", " users'"),
            _ => "manual: Send now",
        };
    }

    /// <summary>The audience in a few words.</summary>
    public static string Audience(CampaignDefinition d) =>
        d.AudienceSegment is { } segment ? $"segment {segment}" : d.AudienceRule is { } rule ? $"rule {rule}" : "everyone triggered";
}
