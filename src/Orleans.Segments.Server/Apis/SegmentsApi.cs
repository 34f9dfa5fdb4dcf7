using System.Text.Json;
using Orleans.Segments.Domain.Segments;
using Orleans.Segments.Segments;
using Orleans.Segments.Server.Application;
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

    private static async Task<IResult> List(HttpContext http, SegmentService segments)
    {
        var list = await segments.ListAsync(AdminAuthFilter.Caller(http).AppId);
        return Results.Ok(new { segments = list.Select(View) });
    }

    private static async Task<IResult> Get(string id, HttpContext http, SegmentService segments)
    {
        if (InvalidId(id) is { } invalid) return invalid;
        var segment = await segments.GetAsync(AdminAuthFilter.Caller(http).AppId, id);
        return segment is null ? Problems.NotFound($"No segment '{id}' in this app.") : Results.Ok(View(segment));
    }

    private static async Task<IResult> Put(string id, HttpContext http, SegmentService segments, CancellationToken ct)
    {
        if (InvalidId(id) is { } invalid) return invalid;
        var (body, error) = await JsonBody.ReadObject(http, MaxBodyBytes, ct);
        if (error is not null) return error;
        string? rule = JsonBody.String(body!.Value, "rule");
        string name = JsonBody.String(body.Value, "name") ?? id;
        if (rule is null) return Problems.BadRequest("'rule' is required: a rule such as stage = \"loyal\" and count(\"Order Completed\", 30d) >= 3.");
        if (name.Length > 200) return Problems.BadRequest("'name' may be at most 200 characters.");

        var saved = await segments.PutAsync(AdminAuthFilter.Caller(http).AppId, id, name, rule);
        if (saved.Status == CatalogChangeStatus.Invalid) return Problems.BadRequest("The rule is invalid.", saved.Errors);
        var view = View(saved.Segment!);
        return saved.Status == CatalogChangeStatus.Created ? Results.Created($"/v1/segments/{id}", view) : Results.Ok(view);
    }

    private static async Task<IResult> Delete(string id, HttpContext http, SegmentService segments)
    {
        if (InvalidId(id) is { } invalid) return invalid;
        var deleted = await segments.DeleteAsync(AdminAuthFilter.Caller(http).AppId, id);
        switch (deleted.Status)
        {
            case CatalogChangeStatus.NotFound: return Problems.NotFound($"No segment '{id}' in this app.");
            case CatalogChangeStatus.InUse: return Problems.Conflict($"Segment '{id}' is in use.", deleted.Errors);
        }

        // Why: the index is not cleared here. The backfill the deletion started makes every member leave the
        // segment, each through its own outbox; clearing the index as well would drop the entries of members
        // that a segment re-created under the same id keeps before the backfill has reached them.
        return Results.NoContent();
    }

    private static async Task<IResult> Members(string id, int? limit, string? cursor, HttpContext http, SegmentService segments)
    {
        if (InvalidId(id) is { } invalid) return invalid;
        int take = limit ?? 100;
        if (take is < 1 or > SegmentService.MaxPage) return Problems.BadRequest($"'limit' must be between 1 and {SegmentService.MaxPage}.");
        try
        {
            var page = await segments.MembersAsync(AdminAuthFilter.Caller(http).AppId, id, take, cursor);
            return page is null ? Problems.NotFound($"No segment '{id}' in this app.") : Results.Ok(new { members = page.Members, next = page.Next });
        }
        catch (ArgumentException ex)
        {
            return Problems.BadRequest(ex.Message.Split(" (Parameter")[0]);
        }
    }

    private static async Task<IResult> Preview(HttpContext http, SegmentService segments, CancellationToken ct)
    {
        var (body, error) = await JsonBody.ReadObject(http, MaxBodyBytes, ct);
        if (error is not null) return error;
        string? rule = JsonBody.String(body!.Value, "rule");
        if (rule is null) return Problems.BadRequest("'rule' is required.");
        string app = AdminAuthFilter.Caller(http).AppId;
        var check = await segments.CheckAsync(app, rule);
        if (!check.Parsed.IsValid) return Problems.BadRequest("The rule is invalid.", check.Problems);
        if (check.Problems.Length > 0) return Problems.BadRequest("The rule names definitions that do not exist.", check.Problems);

        // Why: exact, by asking every user of the app (through the directory); for large apps this takes a while.
        var preview = await segments.PreviewAsync(app, rule, 0, ct);
        return Results.Ok(new { valid = true, rule = check.Parsed.Root!.Print(), size = preview.Size, users = preview.Users });
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

    private static object View(SegmentSummary s) => new
    {
        id = s.Id,
        name = s.Name,
        rule = s.Rule,
        size = s.Size,
        status = s.Status,
        backfill = s.BackfillTotal is { } total ? new { processed = s.BackfillProcessed, total } : null,
        version = s.Version,
        usedBy = s.UsedBy,
    };

    internal static IResult? InvalidId(string id) =>
        ResourceId.IsValid(id) ? null : Problems.BadRequest($"'{ResourceId.Printable(id)}' is not a valid id: {ResourceId.Rule}.");
}
