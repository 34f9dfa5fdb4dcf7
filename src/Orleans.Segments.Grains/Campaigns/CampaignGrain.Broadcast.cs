using Orleans.Segments.Domain.Campaigns;
using Orleans.Segments.Segments;
using Orleans.Segments.Users;

namespace Orleans.Segments.Campaigns;

/// <summary>
/// The broadcast walk: pages of the audience within the throttles, offered in parallel, counted and moved
/// past in one write.
/// </summary>
public sealed partial class CampaignGrain
{
    /// <summary>Offers the next pages of the audience within the throttles and the tick's time budget.</summary>
    private async Task Broadcast(CampaignDefinition definition)
    {
        var s = campaign.State;
        var run = s.Run!;
        long started = time.GetTimestamp();
        while (s.Run == run && time.GetElapsedTime(started) < TickBudget)
        {
            var now = Now;
            double rate = definition.ThrottlePerMinute;
            run.Tokens = Math.Min(rate, run.Tokens + rate * Math.Max(0, (now - run.TokensAt).TotalMinutes));
            run.TokensAt = now;
            int wanted = (int)Math.Min(PageSize, Math.Floor(run.Tokens));
            if (wanted < 1) return;
            int granted = await GrainFactory.GetGrain<IAppThrottleGrain>(AppId).Acquire(wanted);
            if (granted < 1) return;

            var (members, exhausted, advance) = await NextMembers(definition, run, granted);
            var offer = new CampaignOffer(CampaignId, run.Occurrence, run.DueAt, run.LocalWallClock, definition.Trigger.MissedLocalTime, s.RegistryVersion);
            List<MessageResult?> answers;
            try
            {
                answers = await Offer(members, offer);
            }
            catch (Exception ex)
            {
                // Why: the cursor stays before this page; offering its users again is harmless (they decide once).
                LogOfferFailed(AppId, CampaignId, ex);
                return;
            }

            advance();
            Count(answers);
            run.Offered += members.Count;
            run.Tokens -= members.Count;
            metrics.BroadcastOffers(AppId, members.Count);
            if (exhausted) FinishRun("done");
            await campaign.WriteStateAsync();
        }
    }

    private async Task<List<MessageResult?>> Offer(List<string> members, CampaignOffer offer)
    {
        using var gate = new SemaphoreSlim(Parallelism);
        var answers = await Task.WhenAll(members.Select(async member =>
        {
            await gate.WaitAsync();
            try
            {
                return await GrainFactory.User(UserKey.Known(AppId, member)).Offer(offer);
            }
            finally
            {
                gate.Release();
            }
        }));
        return [.. answers];
    }

    /// <summary>Counts a page's decisions (the user grains count only what they decide later, such as held messages).</summary>
    private void Count(List<MessageResult?> answers)
    {
        var stats = campaign.State.BroadcastStats;
        var now = Now;
        foreach (var answer in answers)
        {
            if (answer is null) continue;
            if (answer.Status == MessageStatus.Suppressed && answer.Reason is SuppressionReason.NotInAudience or SuppressionReason.CampaignStopped) continue;
            string arm = answer.Variant ?? "default";
            stats.Add(new CampaignReport(CampaignId, arm, ReportKind.Targeted) { At = now });
            var outcome = answer.Status switch
            {
                MessageStatus.Delivered or MessageStatus.HandedOver => new CampaignReport(CampaignId, arm, ReportKind.Sent) { At = now },
                MessageStatus.Failed => new CampaignReport(CampaignId, arm, ReportKind.Failed, UserGrain.FailureReason(answer.Detail)) { At = now },
                MessageStatus.Suppressed => new CampaignReport(CampaignId, arm, ReportKind.Suppressed, answer.Reason.Wire()) { At = now },
                _ => null,
            };
            if (outcome is not null) stats.Add(outcome);
        }
    }

    /// <summary>
    /// Up to <paramref name="limit"/> audience members after the cursor, whether the audience is exhausted with
    /// them, and the action that moves the cursor past them (run only once they were all offered).
    /// </summary>
    private async Task<(List<string> Members, bool Exhausted, Action Advance)> NextMembers(CampaignDefinition definition, BroadcastRun run, int limit)
    {
        var members = new List<string>(limit);
        int shard = run.Shard, page = run.Page, offset = run.Offset;
        string? after = run.After;
        if (definition.AudienceSegment is { } segment)
        {
            while (shard < SegmentIndexGrain.Shards && members.Count < limit)
            {
                var found = await GrainFactory.GetGrain<ISegmentIndexGrain>(SegmentIndexGrain.Key(AppId, segment, shard)).Page(after, limit - members.Count);
                members.AddRange(found);
                if (members.Count < limit)
                {
                    shard++;
                    after = null;
                }
                else
                {
                    after = found[^1];
                }
            }

            return (members, shard >= SegmentIndexGrain.Shards, () => (run.Shard, run.After) = (shard, after));
        }

        // An inline rule has no index: walk every user in the directory; each user checks the rule itself.
        while (shard < UserDirectoryGrain.Shards && members.Count < limit)
        {
            string shardKey = UserDirectoryGrain.Key(AppId, shard);
            int pages = await GrainFactory.GetGrain<IUserDirectoryGrain>(shardKey).Pages();
            if (page >= pages)
            {
                (shard, page, offset) = (shard + 1, 0, 0);
                continue;
            }

            var ids = await GrainFactory.GetGrain<IUserDirectoryPageGrain>($"{shardKey}/{page}").Users();
            int take = Math.Min(limit - members.Count, Math.Max(0, ids.Length - offset));
            members.AddRange(ids.Skip(offset).Take(take));
            offset += take;
            if (offset >= ids.Length) (page, offset) = (page + 1, 0);
        }

        return (members, shard >= UserDirectoryGrain.Shards, () => (run.Shard, run.Page, run.Offset) = (shard, page, offset));
    }

    private async Task StartRun(string occurrence, DateTime dueAt, DateTime? localWallClock)
    {
        var definition = campaign.State.Definition!;
        var now = Now;
        long audience = 0;
        if (definition.AudienceSegment is { } segment)
        {
            var counts = await Task.WhenAll(Enumerable.Range(0, SegmentIndexGrain.Shards)
                .Select(i => GrainFactory.GetGrain<ISegmentIndexGrain>(SegmentIndexGrain.Key(AppId, segment, i)).Count()));
            audience = counts.Sum();
        }

        campaign.State.Run = new BroadcastRun
        {
            Occurrence = occurrence,
            DueAt = dueAt,
            LocalWallClock = localWallClock,
            StartedAt = now,
            AudienceAtStart = audience,
            Tokens = definition.ThrottlePerMinute,
            TokensAt = now,
        };
        LogBroadcastStarted(AppId, CampaignId, occurrence, audience);
    }

    private void FinishRun(string outcome)
    {
        var s = campaign.State;
        if (s.Run is not { } run) return;
        s.Past.Add(Progress(run, Now, outcome));
        if (s.Past.Count > 20) s.Past.RemoveRange(0, s.Past.Count - 20);
        s.Run = null;
        LogBroadcastFinished(AppId, CampaignId, run.Occurrence, run.Offered, outcome);
    }
}
