using System.Text;
using Orleans.Segments.Domain.Events;
using Orleans.Segments.Domain.Segments;
using Orleans.Segments.Segments;
using Orleans.Segments.Users;

namespace Orleans.Segments.Grains.Tests;

/// <summary>
/// The membership index agrees with the users' own memberships, and those with the rules, whatever happens:
/// a seeded random walk of events, time jumps with wake-ups, device changes and segment edits, checked at
/// checkpoints against every user. A failure names the seed, the step, the segment and the user.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class SegmentIndexConsistencyTests(ClusterFixture fixture)
{
    private const int UserCount = 40;
    private const int Steps = 200;
    private const int IndexPageSize = 7;
    private static readonly int[] Checkpoints = [50, 100, 150, Steps];

    /// <summary>Time-driven (count windows, since_last, stage) and event-driven (trait, device) rules, one nested.</summary>
    private static readonly (string Id, string Rule)[] Initial =
    [
        ("buyers", "count(\"Order Completed\", 14d) >= 2"),
        ("dormant", "since_last(\"Application Opened\") > 3d"),
        ("pro", "trait(\"plan\") = \"pro\""),
        ("reachable", "has_push_token and stage in (\"new\", \"active\", \"loyal\")"),
        ("pro-buyers", "in_segment(\"buyers\") and in_segment(\"pro\")"),
        ("slipping", "stage = \"at_risk\" or (time_in_stage >= 2d and not has_push_token)"),
    ];

    /// <summary>Changes to existing segments and new ones, picked at random.</summary>
    private static readonly (string Id, string Rule)[] Edits =
    [
        ("buyers", "count(\"Order Completed\", 3d) >= 1"),
        ("buyers", "count(\"Order Completed\", 7d) >= 2"),
        ("dormant", "since_last(\"Application Opened\") > 36h and since_first_seen > 1d"),
        ("pro", "trait(\"plan\") in (\"pro\", \"team\")"),
        ("reachable", "has_push_token"),
        ("viewers", "count(\"Product Viewed\", 2d) >= 3 or since_last(\"Product Viewed\") < 6h"),
        ("quiet-pro", "in_segment(\"pro\") and since_last_seen > 2d"),
        ("lapsing-buyers", "in_segment(\"buyers\") and not in_segment(\"dormant\") and has_push_token"),
    ];

    private static readonly string[] EventNames = ["Order Completed", "Application Opened", "Product Viewed"];

    [Theory]
    [InlineData(20260302)]
    [InlineData(7)]
    [InlineData(101)]
    public async Task IndexAgreesWithEveryUserThroughRandomEventsTimeJumpsAndEdits(int seed)
    {
        var random = new Random(seed);
        string app = "idx-" + Guid.NewGuid().ToString("N")[..10];
        var users = Enumerable.Range(0, UserCount).Select(i => $"u{i:00}").ToArray();
        var tokens = users.ToDictionary(u => u, _ => new List<string>());
        var trail = new Queue<string>();
        var catalog = fixture.Grains.GetGrain<ISegmentCatalogGrain>(app);

        // Why: the clock is shared and only moves forward; starting at the same time of day makes a seed
        // replay the same walk (day boundaries of the counters, wake-up buckets) whatever ran before.
        var today = fixture.Now.Date;
        await fixture.AdvanceAndTick(today.AddDays(1).AddHours(9) - fixture.Now);
        foreach (var (id, rule) in Initial) await Define(catalog, app, id, rule);

        for (int step = 1; step <= Steps; step++)
        {
            string user = users[random.Next(users.Length)];
            var grain = fixture.User(UserKey.Known(app, user));
            int roll = random.Next(100);
            string action;
            if (roll < 45)
            {
                var events = Enumerable.Range(0, random.Next(1, 5)).Select(i => RandomEvent(random, $"s{step}-{i}")).ToArray();
                await grain.Ingest(events);
                action = $"{user} sent {string.Join(", ", events.Select(e => e.Name ?? $"plan={e.Traits!["plan"].Text}"))}";
            }
            else if (roll < 65)
            {
                var by = RandomJump(random);
                await fixture.AdvanceAndTick(by);
                action = $"time +{by}";
            }
            else if (roll < 77 || (roll < 85 && tokens[user].Count == 0))
            {
                string token = Convert.ToHexStringLower(RandomBytes(random, 32));
                await grain.RegisterDevice(new DeviceToken(token, PushPlatform.Ios));
                tokens[user].Add(token);
                action = $"{user} registered a device";
            }
            else if (roll < 85)
            {
                string token = tokens[user][random.Next(tokens[user].Count)];
                Assert.True(await grain.RemoveDevice(token), $"step {step}: {user} did not have the token it registered.");
                tokens[user].Remove(token);
                action = $"{user} removed a device";
            }
            else if (roll < 93)
            {
                var (id, rule) = Edits[random.Next(Edits.Length)];
                await Define(catalog, app, id, rule);
                action = $"segment '{id}' := {rule}";
            }
            else if (roll < 97)
            {
                action = await DeleteOrRestoreSlipping(catalog, app);
            }
            else
            {
                await fixture.DeactivateAll();
                action = "every idle grain deactivated";
            }

            trail.Enqueue($"{step}: {action}");
            if (trail.Count > 12) trail.Dequeue();
            if (Checkpoints.Contains(step)) await Check(app, users, seed, step, trail);
        }
    }

    private UserEvent RandomEvent(Random random, string messageId)
    {
        // Why: some events arrive late, as mobile clients send them after being offline.
        var at = random.Next(5) == 0 ? fixture.Now - TimeSpan.FromMinutes(random.Next(1, 720)) : fixture.Now;
        int kind = random.Next(10);
        if (kind == 0)
        {
            string plan = random.Next(3) switch { 0 => "pro", 1 => "team", _ => "free" };
            return new UserEvent(EventKind.Identify, messageId, at) { Traits = new() { ["plan"] = TraitValue.Of(plan, at) } };
        }

        return new UserEvent(EventKind.Track, messageId, at) { Name = EventNames[kind % EventNames.Length] };
    }

    /// <summary>Minutes or hours mostly, sometimes days: about three weeks over the whole walk.</summary>
    private static TimeSpan RandomJump(Random random) => random.Next(5) switch
    {
        0 or 1 => TimeSpan.FromMinutes(random.Next(1, 120)),
        2 or 3 => TimeSpan.FromMinutes(random.Next(60, 12 * 60)),
        _ => TimeSpan.FromMinutes(random.Next(24 * 60, 72 * 60)),
    };

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private async Task Define(ISegmentCatalogGrain catalog, string app, string id, string rule)
    {
        var change = await catalog.PutSegment(new SegmentDefinition(id, id, rule));
        Assert.True(change.Status is CatalogChangeStatus.Created or CatalogChangeStatus.Updated or CatalogChangeStatus.Unchanged,
            $"'{id}' := {rule} was refused: {string.Join("; ", change.Errors)}");
        await fixture.Grains.GetGrain<ISegmentBackfillGrain>(app).RunToEnd();
    }

    /// <summary>Deletes "slipping" if defined (no other segment uses it), else defines it again.</summary>
    private async Task<string> DeleteOrRestoreSlipping(ISegmentCatalogGrain catalog, string app)
    {
        var snapshot = await catalog.GetSnapshot();
        if (snapshot.Segments.All(s => s.Id != "slipping"))
        {
            await Define(catalog, app, "slipping", Initial.Single(s => s.Id == "slipping").Rule);
            return "segment 'slipping' defined again";
        }

        Assert.Equal(CatalogChangeStatus.Deleted, (await catalog.DeleteSegment("slipping")).Status);
        await fixture.Grains.GetGrain<ISegmentBackfillGrain>(app).RunToEnd();
        return "segment 'slipping' deleted";
    }

    /// <summary>
    /// Reads every profile first (a read applies a change that has just fallen due, as the user would), then
    /// every index shard, then evaluates every rule for every user independently of the stored memberships.
    /// </summary>
    private async Task Check(string app, string[] users, int seed, int step, IEnumerable<string> trail)
    {
        var snapshot = await fixture.Grains.GetGrain<ISegmentCatalogGrain>(app).GetSnapshot();
        var defined = snapshot.Segments.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        var problems = new List<string>();
        var profiles = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (string user in users)
        {
            var profile = await fixture.User(UserKey.Known(app, user)).GetProfile();
            profiles[user] = profile?.Segments.Select(s => s.Id).ToHashSet(StringComparer.Ordinal) ?? [];
            problems.AddRange(profiles[user].Where(s => !defined.Contains(s)).Select(s => $"user '{user}' is in segment '{s}', which is not defined."));
        }

        foreach (var segment in snapshot.Segments.OrderBy(s => s.Id, StringComparer.Ordinal))
        {
            string id = segment.Id;
            var indexed = await IndexMembers(app, id, problems);
            foreach (string user in users)
            {
                bool inProfile = profiles[user].Contains(id);
                bool inIndex = indexed.Remove(user);
                bool matches = await fixture.User(UserKey.Known(app, user)).Matches(segment.Rule);
                if (inIndex != inProfile) problems.Add($"segment '{id}': user '{user}' is {(inIndex ? "" : "not ")}in the index but its profile says member={inProfile}.");
                if (matches != inProfile) problems.Add($"segment '{id}' ({segment.Rule}): user '{user}' has member={inProfile} but the rule evaluates to {matches}.");
            }

            problems.AddRange(indexed.Select(u => $"segment '{id}': the index lists '{u}', who is none of this app's users."));
        }

        if (problems.Count == 0) return;
        var message = new StringBuilder($"Seed {seed}, step {step}, at {fixture.Now:O}: {problems.Count} problem(s):\n");
        foreach (string problem in problems.Take(25)) message.AppendLine("  " + problem);
        message.AppendLine("The last steps:");
        foreach (string line in trail) message.AppendLine("  " + line);
        Assert.Fail(message.ToString());
    }

    /// <summary>Every member of every shard, paging with a small page; a member twice or in the wrong shard is a problem.</summary>
    private async Task<HashSet<string>> IndexMembers(string app, string segment, List<string> problems)
    {
        var members = new HashSet<string>(StringComparer.Ordinal);
        for (int shard = 0; shard < SegmentIndexGrain.Shards; shard++)
        {
            var index = fixture.Grains.GetGrain<ISegmentIndexGrain>(SegmentIndexGrain.Key(app, segment, shard));
            string? after = null;
            while (true)
            {
                var page = await index.Page(after, IndexPageSize);
                foreach (string user in page)
                {
                    if (!members.Add(user)) problems.Add($"segment '{segment}': '{user}' is listed twice (shard {shard}).");
                    if (SegmentIndexGrain.ShardOf(user) != shard) problems.Add($"segment '{segment}': '{user}' is in shard {shard}, not {SegmentIndexGrain.ShardOf(user)}.");
                }

                if (page.Length < IndexPageSize) break;
                after = page[^1];
            }

            if (await index.Count() != members.Count(u => SegmentIndexGrain.ShardOf(u) == shard))
            {
                problems.Add($"segment '{segment}': shard {shard} counts {await index.Count()} members but pages list a different number.");
            }
        }

        return members;
    }
}
