using Orleans.Segments.Domain.Lifecycle;
using Orleans.Segments.Segments;
using Orleans.Segments.Users;

namespace Orleans.Segments.Server.Application;

/// <summary>What the console's overview shows of one app: stages and their moves, the event rate, segments, campaigns.</summary>
public sealed class OverviewService(IGrainFactory grains, SegmentService segments, CampaignService campaigns, TimeProvider time)
{
    public async Task<AppOverview> GetAsync(string app)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var stages = await Task.WhenAll(StageIndex.Stages.Select(async s =>
            new StageCount(s.ToWire(), await segments.SizeAsync(app, StageIndex.Id(s)), await segments.FlowsAsync(app, StageIndex.Id(s)))));
        var perMinute = await grains.GetGrain<IAppActivityGrain>(app).PerMinute(now, 60);
        var segmentList = await segments.ListAsync(app);
        var campaignList = await campaigns.ListAsync(app);
        long since = now.AddHours(-24).Ticks / TimeSpan.TicksPerHour;
        var running = campaignList
            .Where(c => c.Status is Domain.Campaigns.CampaignStatus.Running or Domain.Campaigns.CampaignStatus.Paused)
            .Select(c => new RunningCampaign(c.Definition.Id, c.Definition.Name, c.Status, c.Stats.Hours.Where(h => h.Hour > since).Sum(h => h.Sent)))
            .ToList();
        long sent = campaignList.Sum(c => c.Total.Sent);
        long optedOut = campaignList.Sum(c => c.Total.OptedOut);
        return new AppOverview(now, stages, perMinute, segmentList, running, sent, optedOut);
    }
}

public sealed record StageCount(string Stage, long Users, DayFlow[] Flows);

public sealed record RunningCampaign(string Id, string Name, Domain.Campaigns.CampaignStatus Status, long SentLast24Hours);

/// <summary>The overview: stage sizes and daily moves, events per minute (last hour), segments, running campaigns, opt-outs.</summary>
public sealed record AppOverview(
    DateTime At,
    StageCount[] Stages,
    long[] EventsPerMinute,
    IReadOnlyList<SegmentSummary> Segments,
    IReadOnlyList<RunningCampaign> Running,
    long Sent,
    long OptedOut)
{
    public double? OptOutRate => Sent == 0 ? null : (double)OptedOut / Sent;
}
