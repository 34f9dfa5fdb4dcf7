using Orleans.Segments.Contracts;
using Orleans.Segments.Domain.Segments;
using Orleans.Segments.Segments;
using Orleans.Segments.Server.Application;
using Orleans.Segments.Server.Apps;
using Orleans.Segments.Server.Ingestion;
using Orleans.Segments.Users;
using MembersPage = Orleans.Segments.Contracts.MembersPage;

namespace Orleans.Segments.Server.Apis;

/// <summary>Segments of the caller's app: define, list with exact sizes, enumerate members, preview, explain.</summary>
public static class SegmentsApi
{
    private const int MaxBodyBytes = 16 * 1024;
    private const int MaxPage = 1000;

    public static IEndpointRouteBuilder MapSegmentsApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/v1/segments").WithTags("Segments").AddEndpointFilter<AdminAuthFilter>();
        api.MapGet("", List).WithName("ListSegments").WithSummary("Every segment with its exact size and backfill status.")
            .Answers<SegmentList>().AdminList();
        api.MapPost("/preview", Preview).WithName("PreviewSegment").WithSummary("Validates a rule and counts the users it matches now.")
            .Body<SegmentPreviewInput>().Answers<SegmentPreview>().Admin();
        api.MapPut("/{id}", Put).WithName("PutSegment").WithSummary("Creates or changes a segment: {\"name\", \"rule\"}; existing users are backfilled.")
            .Body<SegmentInput>().Example(ApiDocs.SegmentExample).Answers<SegmentView>().Answers<SegmentView>(StatusCodes.Status201Created).Admin();
        api.MapGet("/{id}", Get).WithName("GetSegment").WithSummary("The segment with its exact size now.")
            .Answers<SegmentView>().Admin().Problems(StatusCodes.Status404NotFound);
        api.MapDelete("/{id}", Delete).WithName("DeleteSegment").WithSummary("Deletes a segment; 409 if another segment or a campaign uses it.")
            .Produces(StatusCodes.Status204NoContent).Admin().Problems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        api.MapGet("/{id}/members", Members).WithName("SegmentMembers").WithSummary("Members in pages: ?limit= (1 to 1000, default 100) and the cursor of the previous page.")
            .Answers<MembersPage>().Admin().Problems(StatusCodes.Status404NotFound);
        routes.MapGet("/v1/users/{userId}/segments/{segmentId}/explain", Explain).WithTags("Segments")
            .AddEndpointFilter<AdminAuthFilter>().WithName("ExplainSegment")
            .WithSummary("The rule's tree with this user's value for each condition and whether it held.")
            .Answers<SegmentExplanation>().Admin().Problems(StatusCodes.Status404NotFound);
        return routes;
    }

    private static async Task<IResult> List(HttpContext http, SegmentService segments)
    {
        var list = await segments.ListAsync(AdminAuthFilter.Caller(http).AppId);
        return Results.Ok(new SegmentList(list.Select(View).ToArray()));
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
        var (body, error) = await ContractBody.ReadAsync(http, ContractsJson.Default.SegmentInput, MaxBodyBytes, "segment", ct);
        if (error is not null) return error;
        string? rule = body!.Rule;
        string name = body.Name ?? id;
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
            return page is null ? Problems.NotFound($"No segment '{id}' in this app.") : Results.Ok(new MembersPage(page.Members.ToArray(), page.Next));
        }
        catch (ArgumentException ex)
        {
            return Problems.BadRequest(ex.Message.Split(" (Parameter")[0]);
        }
    }

    private static async Task<IResult> Preview(HttpContext http, SegmentService segments, CancellationToken ct)
    {
        var (body, error) = await ContractBody.ReadAsync(http, ContractsJson.Default.SegmentPreviewInput, MaxBodyBytes, "preview", ct);
        if (error is not null) return error;
        string? rule = body!.Rule;
        if (rule is null) return Problems.BadRequest("'rule' is required.");
        string app = AdminAuthFilter.Caller(http).AppId;
        var check = await segments.CheckAsync(app, rule);
        if (!check.Parsed.IsValid) return Problems.BadRequest("The rule is invalid.", check.Problems);
        if (check.Problems.Length > 0) return Problems.BadRequest("The rule names definitions that do not exist.", check.Problems);

        // Why: exact, by asking every user of the app (through the directory); for large apps this takes a while.
        var preview = await segments.PreviewAsync(app, rule, 0, ct);
        return Results.Ok(new SegmentPreview(true, check.Parsed.Root!.Print(), preview.Size, preview.Users));
    }

    private static async Task<IResult> Explain(string userId, string segmentId, HttpContext http, IGrainFactory grains)
    {
        if (InvalidId(segmentId) is { } invalid) return invalid;
        if (UsersApi.InvalidUserId(userId) is { } invalidUser) return invalidUser;
        string app = AdminAuthFilter.Caller(http).AppId;
        var user = grains.GetGrain<IUserGrain>(UserKey.Known(app, userId).GrainKey);
        if (await user.GetProfile() is null) return Problems.NotFound($"No user '{userId}' in this app.");
        var explanation = await user.Explain(segmentId);
        return explanation is null
            ? Problems.NotFound($"No segment '{segmentId}' in this app.")
            : Results.Ok(new SegmentExplanation(userId, segmentId, explanation.Held, Node(explanation)));
    }

    private static SegmentView View(SegmentSummary s) =>
        new(s.Id, s.Name, s.Rule, s.Size, s.Status, s.BackfillTotal is { } total ? new BackfillProgress(s.BackfillProcessed, total) : null, s.Version, s.UsedBy);

    private static ExplanationNode Node(Explanation e) => new(e.Kind, e.Rule, e.Held, e.Value, e.Children.Select(Node).ToArray());

    internal static IResult? InvalidId(string id) =>
        ResourceId.IsValid(id) ? null : Problems.BadRequest($"'{ResourceId.Printable(id)}' is not a valid id: {ResourceId.Rule}.");
}
