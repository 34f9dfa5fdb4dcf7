using System.Text;
using Orleans.Segments.Campaigns;
using Orleans.Segments.Domain.Segments;
using Orleans.Segments.Segments;
using Orleans.Segments.Users;

namespace Orleans.Segments.Server.Application;

/// <summary>
/// Segments of one app, for the JSON API and the console alike: list with exact sizes and what uses them, define,
/// delete (refused while a segment or campaign uses it), page through members, check and preview a rule.
/// </summary>
public sealed class SegmentService(IGrainFactory grains)
{
    /// <summary>The most members one page may hold.</summary>
    public const int MaxPage = 1000;

    public async Task<IReadOnlyList<SegmentSummary>> ListAsync(string app)
    {
        var snapshot = await Catalog(app).GetSnapshot();
        var backfill = await grains.GetGrain<ISegmentBackfillGrain>(app).GetStatus();
        var campaigns = await grains.GetGrain<ICampaignRegistryGrain>(app).GetSnapshot();
        var users = UsersOfSegments(snapshot, campaigns);
        return await Task.WhenAll(snapshot.Segments.OrderBy(s => s.Id, StringComparer.Ordinal)
            .Select(s => SummaryAsync(app, s, snapshot, backfill, users)));
    }

    /// <summary>The segments' definitions alone (no sizes): for pickers and reference checks.</summary>
    public async Task<IReadOnlyList<SegmentDefinition>> DefinitionsAsync(string app) =>
        (await Catalog(app).GetSnapshot()).Segments.OrderBy(s => s.Id, StringComparer.Ordinal).ToList();

    public async Task<SegmentSummary?> GetAsync(string app, string id)
    {
        var snapshot = await Catalog(app).GetSnapshot();
        if (snapshot.Segments.FirstOrDefault(s => s.Id == id) is not { } segment) return null;
        var backfill = await grains.GetGrain<ISegmentBackfillGrain>(app).GetStatus();
        var campaigns = await grains.GetGrain<ICampaignRegistryGrain>(app).GetSnapshot();
        return await SummaryAsync(app, segment, snapshot, backfill, UsersOfSegments(snapshot, campaigns));
    }

    /// <summary>Creates or changes a segment; invalid rules come back with every error (line and column).</summary>
    public async Task<SegmentSave> PutAsync(string app, string id, string? name, string rule)
    {
        var change = await Catalog(app).PutSegment(new SegmentDefinition(id, name ?? id, rule));
        if (change.Status == CatalogChangeStatus.Invalid) return new SegmentSave(change.Status, change.Errors, null);
        return new SegmentSave(change.Status, [], await GetAsync(app, id));
    }

    /// <summary>Deletes a segment, unless another segment, a campaign (not cancelled or completed) or a journey (not archived) names it.</summary>
    public async Task<SegmentDelete> DeleteAsync(string app, string id)
    {
        var snapshot = await Catalog(app).GetSnapshot();
        if (snapshot.Segments.All(s => s.Id != id)) return new SegmentDelete(CatalogChangeStatus.NotFound, []);
        var campaigns = await grains.GetGrain<ICampaignRegistryGrain>(app).UsersOf("segment", id);
        var journeys = await JourneyService.UsersOf(grains, app, "segment", id);
        if (campaigns.Length > 0 || journeys.Length > 0)
        {
            return new SegmentDelete(CatalogChangeStatus.InUse, [.. campaigns.Select(c => $"campaign '{c}' uses segment '{id}'."), .. journeys.Select(j => $"journey '{j}' uses segment '{id}'.")]);
        }

        var change = await Catalog(app).DeleteSegment(id);
        return new SegmentDelete(change.Status, change.Errors);
    }

    /// <summary>A page of members, in shard order; null when there is no such segment.</summary>
    public async Task<MembersPage?> MembersAsync(string app, string id, int limit, string? cursor)
    {
        if (limit is < 1 or > MaxPage) throw new ArgumentOutOfRangeException(nameof(limit), $"'limit' must be between 1 and {MaxPage}.");
        if (!TryDecodeCursor(cursor, out int shard, out string? after)) throw new ArgumentException("'cursor' is not a cursor this API returned.", nameof(cursor));
        var snapshot = await Catalog(app).GetSnapshot();
        if (snapshot.Segments.All(s => s.Id != id)) return null;

        var members = new List<string>();
        while (shard < SegmentIndexGrain.Shards && members.Count < limit)
        {
            var page = await Index(app, id, shard).Page(after, limit - members.Count);
            members.AddRange(page);
            if (members.Count < limit)
            {
                shard++;
                after = null;
            }
            else
            {
                after = page[^1];
            }
        }

        return new MembersPage(members, shard < SegmentIndexGrain.Shards ? EncodeCursor(shard, after) : null);
    }

    /// <summary>Parses a rule and checks the segments and geofences it names exist: what the editor shows as you type.</summary>
    public async Task<RuleCheck> CheckAsync(string app, string rule, string? segmentBeingEdited = null)
    {
        var parsed = RuleParser.Parse(rule);
        if (!parsed.IsValid) return new RuleCheck(parsed, parsed.Errors.Select(e => e.ToString()).ToArray());
        var snapshot = await Catalog(app).GetSnapshot();
        var unknown = parsed.SegmentReferences
            .Where(s => s == segmentBeingEdited || snapshot.Segments.All(d => d.Id != s))
            .Select(s => s == segmentBeingEdited ? $"in_segment(\"{s}\"): a segment cannot contain itself." : $"in_segment(\"{s}\"): no segment '{s}' is defined.")
            .Concat(parsed.GeofenceReferences.Where(f => snapshot.Geofences.All(g => g.Id != f)).Select(f => $"inside(\"{f}\"): no geofence '{f}' is defined."))
            .ToArray();
        return new RuleCheck(parsed, unknown);
    }

    /// <summary>
    /// Counts the users a valid rule matches now, exactly, by asking every user of the app (through the
    /// directory), and keeps the first <paramref name="sample"/> of them.
    /// </summary>
    public async Task<RulePreview> PreviewAsync(string app, string rule, int sample, CancellationToken cancellationToken)
    {
        long size = 0, users = 0;
        var members = new List<string>();
        for (int shard = 0; shard < UserDirectoryGrain.Shards; shard++)
        {
            string shardKey = UserDirectoryGrain.Key(app, shard);
            int pages = await grains.GetGrain<IUserDirectoryGrain>(shardKey).Pages();
            for (int page = 0; page < pages; page++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var ids = await grains.GetGrain<IUserDirectoryPageGrain>($"{shardKey}/{page}").Users();
                users += ids.Length;
                foreach (var chunk in ids.Chunk(64))
                {
                    var matches = await Task.WhenAll(chunk.Select(u => grains.GetGrain<IUserGrain>(UserKey.Known(app, u).GrainKey).Matches(rule)));
                    for (int i = 0; i < chunk.Length; i++)
                    {
                        if (!matches[i]) continue;
                        size++;
                        if (members.Count < sample) members.Add(chunk[i]);
                    }
                }
            }
        }

        return new RulePreview(size, users, members);
    }

    /// <summary>The exact size of a segment (or a stage pseudo-segment) from its index shards.</summary>
    public async Task<long> SizeAsync(string app, string id) =>
        (await Task.WhenAll(Enumerable.Range(0, SegmentIndexGrain.Shards).Select(s => Index(app, id, s).Count()))).Sum();

    /// <summary>Entries and exits per UTC day of a segment (or a stage), summed over its shards.</summary>
    public async Task<DayFlow[]> FlowsAsync(string app, string id) =>
        DayFlow.Sum((await Task.WhenAll(Enumerable.Range(0, SegmentIndexGrain.Shards).Select(s => Index(app, id, s).Flows()))).SelectMany(f => f));

    private async Task<SegmentSummary> SummaryAsync(string app, SegmentDefinition segment, CatalogSnapshot snapshot, BackfillStatus backfill, ILookup<string, string> users)
    {
        // Why: one call per shard for both the size and the flows; a list of 100 segments makes 1,600 of them.
        var shards = await Task.WhenAll(Enumerable.Range(0, SegmentIndexGrain.Shards).Select(s => Index(app, segment.Id, s).Summary()));
        long version = snapshot.SegmentVersions.GetValueOrDefault(segment.Id);
        bool backfilling = backfill.CompletedVersion < version;
        return new SegmentSummary(segment.Id, segment.Name, segment.Rule, shards.Sum(s => (long)s.Count), backfilling ? "backfilling" : "ready",
            backfilling ? backfill.Processed : null, backfilling ? backfill.Total : null, version, users[segment.Id].ToArray(), DayFlow.Sum(shards.SelectMany(s => s.Flows)));
    }

    /// <summary>
    /// For every segment, what names it: running, paused or draft campaigns (by id) and other segments
    /// (<c>segment:&lt;id&gt;</c>). Each rule is parsed once, not once per segment listed.
    /// </summary>
    private static ILookup<string, string> UsersOfSegments(CatalogSnapshot snapshot, CampaignRegistrySnapshot campaigns) =>
        campaigns.Campaigns
            .Where(c => c.Status is not (Domain.Campaigns.CampaignStatus.Cancelled or Domain.Campaigns.CampaignStatus.Completed))
            .SelectMany(c => c.Definition.References().Where(r => r.Kind == "segment").Select(r => (Segment: r.Id, User: c.Definition.Id)).Distinct())
            .Concat(snapshot.Segments.SelectMany(s => RuleParser.Parse(s.Rule).SegmentReferences.Where(r => r != s.Id).Select(r => (Segment: r, User: "segment:" + s.Id))))
            .ToLookup(x => x.Segment, x => x.User, StringComparer.Ordinal);

    private ISegmentCatalogGrain Catalog(string app) => grains.GetGrain<ISegmentCatalogGrain>(app);

    private ISegmentIndexGrain Index(string app, string id, int shard) => grains.GetGrain<ISegmentIndexGrain>(SegmentIndexGrain.Key(app, id, shard));

    private static string EncodeCursor(int shard, string? after) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{shard}\n{after}")).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static bool TryDecodeCursor(string? cursor, out int shard, out string? after)
    {
        shard = 0;
        after = null;
        if (string.IsNullOrEmpty(cursor)) return true;
        if (cursor.Length > 2000) return false;
        try
        {
            string padded = cursor.Replace('-', '+').Replace('_', '/');
            padded += new string('=', (4 - padded.Length % 4) % 4);
            string text = Encoding.UTF8.GetString(Convert.FromBase64String(padded));
            int newline = text.IndexOf('\n');
            if (newline < 0 || !int.TryParse(text.AsSpan(0, newline), out shard) || shard is < 0 or >= SegmentIndexGrain.Shards) return false;
            after = newline == text.Length - 1 ? null : text[(newline + 1)..];
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}

/// <summary>A segment with its exact size, backfill progress, users (campaigns, or segment:&lt;id&gt;) and daily flows.</summary>
public sealed record SegmentSummary(
    string Id,
    string Name,
    string Rule,
    long Size,
    string Status,
    long? BackfillProcessed,
    long? BackfillTotal,
    long Version,
    string[] UsedBy,
    DayFlow[] Flows);

public sealed record SegmentSave(CatalogChangeStatus Status, string[] Errors, SegmentSummary? Segment);

public sealed record SegmentDelete(CatalogChangeStatus Status, string[] Errors);

public sealed record MembersPage(IReadOnlyList<string> Members, string? Next);

/// <summary>A parsed rule and the problems with what it names (an unknown segment or geofence).</summary>
public sealed record RuleCheck(ParsedRule Parsed, string[] Problems)
{
    public bool IsValid => Parsed.IsValid && Problems.Length == 0;
}

public sealed record RulePreview(long Size, long Users, IReadOnlyList<string> Sample);
