using System.Text;
using System.Text.Json;
using Orleans.Segments.Domain.Segments;
using Orleans.Segments.Segments;
using Orleans.Segments.Server.Apps;
using Orleans.Segments.Server.Ingestion;
using Orleans.Segments.Users;

namespace Orleans.Segments.Server.Apis;

/// <summary>Segments of the caller's app: define, list with exact sizes, enumerate members, preview, explain.</summary>
public static class SegmentsApi
{
    private const int MaxBodyBytes = 16 * 1024;
    private const int MaxPage = 1000;

    public static IEndpointRouteBuilder MapSegmentsApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/v1/segments").WithTags("Segments").AddEndpointFilter<AdminAuthFilter>();
        api.MapGet("", List).WithName("ListSegments").WithSummary("Every segment with its exact size and backfill status.");
        api.MapPost("/preview", Preview).WithName("PreviewSegment").WithSummary("Validates a rule and counts the users it matches now.");
        api.MapPut("/{id}", Put).WithName("PutSegment").WithSummary("Creates or changes a segment: {\"name\", \"rule\"}; existing users are backfilled.");
        api.MapGet("/{id}", Get).WithName("GetSegment");
        api.MapDelete("/{id}", Delete).WithName("DeleteSegment").WithSummary("Deletes a segment; 409 if another segment uses it.");
        api.MapGet("/{id}/members", Members).WithName("SegmentMembers").WithSummary("Members in pages: ?limit=&cursor=.");
        routes.MapGet("/v1/users/{userId}/segments/{segmentId}/explain", Explain).WithTags("Segments")
            .AddEndpointFilter<AdminAuthFilter>().WithName("ExplainSegment")
            .WithSummary("The rule's tree with this user's value for each condition and whether it held.");
        return routes;
    }

    private static async Task<IResult> List(HttpContext http, IGrainFactory grains)
    {
        string app = AdminAuthFilter.Caller(http).AppId;
        var snapshot = await grains.GetGrain<ISegmentCatalogGrain>(app).GetSnapshot();
        var backfill = await grains.GetGrain<ISegmentBackfillGrain>(app).GetStatus();
        var views = await Task.WhenAll(snapshot.Segments.OrderBy(s => s.Id, StringComparer.Ordinal).Select(s => View(grains, app, s, snapshot, backfill)));
        return Results.Ok(new { segments = views });
    }

    private static async Task<IResult> Get(string id, HttpContext http, IGrainFactory grains)
    {
        if (InvalidId(id) is { } invalid) return invalid;
        string app = AdminAuthFilter.Caller(http).AppId;
        var snapshot = await grains.GetGrain<ISegmentCatalogGrain>(app).GetSnapshot();
        var segment = snapshot.Segments.FirstOrDefault(s => s.Id == id);
        if (segment is null) return Problems.NotFound($"No segment '{id}' in this app.");
        var backfill = await grains.GetGrain<ISegmentBackfillGrain>(app).GetStatus();
        return Results.Ok(await View(grains, app, segment, snapshot, backfill));
    }

    private static async Task<IResult> Put(string id, HttpContext http, IGrainFactory grains, CancellationToken ct)
    {
        if (InvalidId(id) is { } invalid) return invalid;
        var (body, error) = await JsonBody.ReadObject(http, MaxBodyBytes, ct);
        if (error is not null) return error;
        string? rule = JsonBody.String(body!.Value, "rule");
        string name = JsonBody.String(body.Value, "name") ?? id;
        if (rule is null) return Problems.BadRequest("'rule' is required: a rule such as stage = \"loyal\" and count(\"Order Completed\", 30d) >= 3.");
        if (name.Length > 200) return Problems.BadRequest("'name' may be at most 200 characters.");

        string app = AdminAuthFilter.Caller(http).AppId;
        var change = await grains.GetGrain<ISegmentCatalogGrain>(app).PutSegment(new SegmentDefinition(id, name, rule));
        if (change.Status == CatalogChangeStatus.Invalid) return Problems.BadRequest("The rule is invalid.", change.Errors);
        var snapshot = await grains.GetGrain<ISegmentCatalogGrain>(app).GetSnapshot();
        var backfill = await grains.GetGrain<ISegmentBackfillGrain>(app).GetStatus();
        var view = await View(grains, app, snapshot.Segments.First(s => s.Id == id), snapshot, backfill);
        return change.Status == CatalogChangeStatus.Created ? Results.Created($"/v1/segments/{id}", view) : Results.Ok(view);
    }

    private static async Task<IResult> Delete(string id, HttpContext http, IGrainFactory grains)
    {
        if (InvalidId(id) is { } invalid) return invalid;
        string app = AdminAuthFilter.Caller(http).AppId;
        var change = await grains.GetGrain<ISegmentCatalogGrain>(app).DeleteSegment(id);
        switch (change.Status)
        {
            case CatalogChangeStatus.NotFound: return Problems.NotFound($"No segment '{id}' in this app.");
            case CatalogChangeStatus.InUse: return Problems.Conflict($"Segment '{id}' is in use.", change.Errors);
        }

        // Why: the index is not cleared here. The backfill the deletion started makes every member leave the
        // segment, each through its own outbox; clearing the index as well would drop the entries of members
        // that a segment re-created under the same id keeps before the backfill has reached them.
        return Results.NoContent();
    }

    private static async Task<IResult> Members(string id, int? limit, string? cursor, HttpContext http, IGrainFactory grains)
    {
        if (InvalidId(id) is { } invalid) return invalid;
        int take = limit ?? 100;
        if (take is < 1 or > MaxPage) return Problems.BadRequest($"'limit' must be between 1 and {MaxPage}.");
        if (!TryDecodeCursor(cursor, out int shard, out string? after)) return Problems.BadRequest("'cursor' is not a cursor this API returned.");

        string app = AdminAuthFilter.Caller(http).AppId;
        var snapshot = await grains.GetGrain<ISegmentCatalogGrain>(app).GetSnapshot();
        if (snapshot.Segments.All(s => s.Id != id)) return Problems.NotFound($"No segment '{id}' in this app.");

        var members = new List<string>();
        while (shard < SegmentIndexGrain.Shards && members.Count < take)
        {
            var page = await grains.GetGrain<ISegmentIndexGrain>(SegmentIndexGrain.Key(app, id, shard)).Page(after, take - members.Count);
            members.AddRange(page);
            if (members.Count < take)
            {
                shard++;
                after = null;
            }
            else
            {
                after = page[^1];
            }
        }

        string? next = shard < SegmentIndexGrain.Shards ? EncodeCursor(shard, after) : null;
        return Results.Ok(new { members, next });
    }

    private static async Task<IResult> Preview(HttpContext http, IGrainFactory grains, CancellationToken ct)
    {
        var (body, error) = await JsonBody.ReadObject(http, MaxBodyBytes, ct);
        if (error is not null) return error;
        string? rule = JsonBody.String(body!.Value, "rule");
        if (rule is null) return Problems.BadRequest("'rule' is required.");
        var parsed = RuleParser.Parse(rule);
        if (!parsed.IsValid) return Problems.BadRequest("The rule is invalid.", parsed.Errors.Select(e => e.ToString()));

        string app = AdminAuthFilter.Caller(http).AppId;
        var snapshot = await grains.GetGrain<ISegmentCatalogGrain>(app).GetSnapshot();
        var unknown = parsed.SegmentReferences.Where(s => snapshot.Segments.All(d => d.Id != s)).Select(s => $"in_segment(\"{s}\"): no segment '{s}' is defined.")
            .Concat(parsed.GeofenceReferences.Where(f => snapshot.Geofences.All(g => g.Id != f)).Select(f => $"inside(\"{f}\"): no geofence '{f}' is defined."))
            .ToArray();
        if (unknown.Length > 0) return Problems.BadRequest("The rule names definitions that do not exist.", unknown);

        // Why: exact, by asking every user of the app (through the directory); for large apps this takes a while.
        long size = 0, users = 0;
        for (int shard = 0; shard < Segments.UserDirectoryGrain.Shards; shard++)
        {
            string shardKey = Segments.UserDirectoryGrain.Key(app, shard);
            int pages = await grains.GetGrain<IUserDirectoryGrain>(shardKey).Pages();
            for (int page = 0; page < pages; page++)
            {
                var ids = await grains.GetGrain<IUserDirectoryPageGrain>($"{shardKey}/{page}").Users();
                users += ids.Length;
                foreach (var chunk in ids.Chunk(64))
                {
                    var matches = await Task.WhenAll(chunk.Select(u => grains.GetGrain<IUserGrain>(UserKey.Known(app, u).GrainKey).Matches(rule)));
                    size += matches.Count(m => m);
                }
            }
        }

        return Results.Ok(new { valid = true, rule = parsed.Root!.Print(), size, users });
    }

    private static async Task<IResult> Explain(string userId, string segmentId, HttpContext http, IGrainFactory grains)
    {
        if (InvalidId(segmentId) is { } invalid) return invalid;
        if (userId.Length is 0 or > 256) return Problems.BadRequest("A user id is 1 to 256 characters.");
        string app = AdminAuthFilter.Caller(http).AppId;
        var user = grains.GetGrain<IUserGrain>(UserKey.Known(app, userId).GrainKey);
        if (await user.GetProfile() is null) return Problems.NotFound($"No user '{userId}' in this app.");
        var explanation = await user.Explain(segmentId);
        return explanation is null
            ? Problems.NotFound($"No segment '{segmentId}' in this app.")
            : Results.Ok(new { userId, segmentId, member = explanation.Held, explanation });
    }

    private static async Task<object> View(IGrainFactory grains, string app, SegmentDefinition segment, CatalogSnapshot snapshot, BackfillStatus backfill)
    {
        var counts = await Task.WhenAll(Enumerable.Range(0, SegmentIndexGrain.Shards)
            .Select(s => grains.GetGrain<ISegmentIndexGrain>(SegmentIndexGrain.Key(app, segment.Id, s)).Count()));
        long changedAt = snapshot.SegmentVersions.GetValueOrDefault(segment.Id);
        bool backfilling = backfill.CompletedVersion < changedAt;
        return new
        {
            id = segment.Id,
            name = segment.Name,
            rule = segment.Rule,
            size = counts.Sum(),
            status = backfilling ? "backfilling" : "ready",
            backfill = backfilling ? new { processed = backfill.Processed, total = backfill.Total } : null,
            version = changedAt,
        };
    }

    internal static IResult? InvalidId(string id) =>
        ResourceId.IsValid(id) ? null : Problems.BadRequest($"'{ResourceId.Printable(id)}' is not a valid id: {ResourceId.Rule}.");

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
