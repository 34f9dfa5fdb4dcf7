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
        var offer = new CampaignOffer(CampaignId, run.Occurrence, run.DueAt, run.LocalWallClock, definition.Trigger.MissedLocalTime, s.RegistryVersion);
        var ahead = Cursor.Of(run);
        bool audienceDone = false;
        using var gate = new SemaphoreSlim(Parallelism);

        // Why: pages are offered in a window, the next ones while the first is still waiting on its slowest push,
        // so the walk is never idle on one page's tail; the cursor moves past a page only when it and every page
        // before it were answered, so a failure or a crash re-offers from there (users decide once).
        var window = new Queue<(int Count, bool Exhausted, Cursor End, Task<List<MessageResult?>> Answers)>();
        try
        {
            while (s.Run == run)
            {
                while (!audienceDone && window.Count < PagesInFlight && time.GetElapsedTime(started) < TickBudget)
                {
                    int wanted = PageSize;
                    if (definition.IsThrottled)
                    {
                        var now = Now;
                        double rate = definition.ThrottlePerMinute;
                        run.Tokens = Math.Min(rate, run.Tokens + rate * Math.Max(0, (now - run.TokensAt).TotalMinutes));
                        run.TokensAt = now;
                        wanted = (int)Math.Min(PageSize, Math.Floor(run.Tokens));
                    }

                    if (wanted < 1) break;
                    int granted = await GrainFactory.GetGrain<IAppThrottleGrain>(AppId).Acquire(wanted);
                    if (granted < 1) break;

                    var (members, exhausted, end) = await NextMembers(definition, ahead, granted);
                    ahead = end;
                    audienceDone = exhausted;
                    run.Tokens -= members.Count;
                    window.Enqueue((members.Count, exhausted, end, Offer(members, offer, gate)));
                }

                if (window.Count == 0) return;
                var page = window.Peek();
                List<MessageResult?> answers;
                try
                {
                    answers = await page.Answers;
                }
                catch (Exception ex)
                {
                    LogOfferFailed(AppId, CampaignId, ex);
                    return;
                }

                window.Dequeue();
                page.End.Store(run);
                Count(answers);
                run.Offered += page.Count;
                metrics.BroadcastOffers(AppId, page.Count);
                if (page.Exhausted) FinishRun("done");
                await campaign.WriteStateAsync();
            }
        }
        finally
        {
            // Why: pages after a failed (or finished) one are not counted: their users are offered again from the
            // stored cursor and counted then, once. Their offers still finish before the grain takes another call.
            foreach (var (_, _, _, answers) in window)
            {
                try
                {
                    await answers;
                }
                catch (Exception)
                {
                    // Already logged for the first failed page; the others are offered again.
                }
            }
        }
    }

    private async Task<List<MessageResult?>> Offer(List<string> members, CampaignOffer offer, SemaphoreSlim gate)
    {
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
                MessageStatus.Delivered or MessageStatus.HandedOver => new CampaignReport(CampaignId, arm, ReportKind.Sent, answer.Language ?? Locales.Default) { At = now },
                MessageStatus.Failed => new CampaignReport(CampaignId, arm, ReportKind.Failed, UserGrain.FailureReason(answer.Detail)) { At = now },
                MessageStatus.Suppressed => new CampaignReport(CampaignId, arm, ReportKind.Suppressed, answer.Reason.Wire()) { At = now },
                _ => null,
            };
            if (outcome is not null) stats.Add(outcome);
        }
    }

    /// <summary>
    /// Up to <paramref name="limit"/> audience members after <paramref name="from"/>, whether the audience is
    /// exhausted with them, and the cursor just past them.
    /// </summary>
    private async Task<(List<string> Members, bool Exhausted, Cursor End)> NextMembers(CampaignDefinition definition, Cursor from, int limit)
    {
        var members = new List<string>(limit);
        var (shard, after, page, offset) = from;
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

            return (members, shard >= SegmentIndexGrain.Shards, new Cursor(shard, after, 0, 0));
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

        return (members, shard >= UserDirectoryGrain.Shards, new Cursor(shard, null, page, offset));
    }

    /// <summary>A position in the audience: index shard and last member, or directory shard, page and offset.</summary>
    private readonly record struct Cursor(int Shard, string? After, int Page, int Offset)
    {
        public static Cursor Of(BroadcastRun run) => new(run.Shard, run.After, run.Page, run.Offset);

        public void Store(BroadcastRun run) => (run.Shard, run.After, run.Page, run.Offset) = (Shard, After, Page, Offset);
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
            Tokens = definition.IsThrottled ? definition.ThrottlePerMinute : 0,
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
