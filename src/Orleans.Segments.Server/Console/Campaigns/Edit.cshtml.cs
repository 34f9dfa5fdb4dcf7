using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Orleans.Segments.Campaigns;
using Orleans.Segments.Domain.Campaigns;
using Orleans.Segments.Push.Hosting;
using Orleans.Segments.Server.Console.Shared;

namespace Orleans.Segments.Server.Console.Campaigns;

/// <summary>
/// The campaign composer: the whole definition in one form whose fields are the API's JSON paths, checked by the
/// API's own reader (errors shown at their fields), with the audience's live reach and a live preview of the
/// message for a chosen user, rendered by the send path and shown as the exact APNs and FCM requests.
/// </summary>
public sealed class EditModel(CampaignService campaigns, SegmentService segments, GeofenceService geofences, IOptionsMonitor<AppPushOptions> push, TimeProvider time) : PageModel
{
    /// <summary>The id in the path (null on the page for a new one); never bound from the form, whose "id" field is separate.</summary>
    public string? Id => RouteData.Values.TryGetValue("id", out var value) ? value as string : null;

    public bool IsNew { get; private set; }

    public CampaignForm Form { get; private set; } = CampaignForm.Empty();

    public CampaignStatus? Status { get; private set; }

    public IReadOnlyList<string> Errors { get; private set; } = [];

    public IReadOnlyList<string> SegmentIds { get; private set; } = [];

    public IReadOnlyList<string> GeofenceIds { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync()
    {
        IsNew = Id is null;
        await LoadChoices();
        if (IsNew) return Page();
        if (!ResourceId.IsValid(Id)) return NotFound();
        var campaign = await campaigns.GetAsync(ConsoleAuth.AppId(HttpContext), Id!);
        if (campaign is null)
        {
            TempData["Notice"] = $"There is no campaign '{Id}' (it may have been removed in another tab).";
            return Redirect("/console/campaigns");
        }

        Form = CampaignForm.From(campaign.Definition, await SampleUser(campaign.Definition));
        Status = campaign.Status;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        IsNew = Id is null;
        Form = CampaignForm.From(Request.Form);
        await LoadChoices();
        string? id = IsNew ? Form["id"] : Id;
        if (!ResourceId.IsValid(id))
        {
            return Invalid([$"id: '{ResourceId.Printable(id ?? "")}' is not a valid id: {ResourceId.Rule}."]);
        }

        string app = ConsoleAuth.AppId(HttpContext);
        if (IsNew && await campaigns.GetAsync(app, id!) is not null)
        {
            return Invalid([$"id: there is already a campaign '{id}'; open it to edit it, or choose another id."]);
        }

        var json = Form.ToJson();
        if (Form.Problems.Count > 0) return Invalid(Form.Problems);
        var saved = await campaigns.SaveAsync(app, id!, json);
        switch (saved.Status)
        {
            case CampaignCommandStatus.Created:
            case CampaignCommandStatus.Ok:
                TempData["Notice"] = saved.Status == CampaignCommandStatus.Created
                    ? $"Campaign {id} created as a draft; launch it when it is ready."
                    : $"Campaign {id} saved.";
                return Redirect($"/console/campaigns/{Uri.EscapeDataString(id!)}");
            case CampaignCommandStatus.NotFound:
                TempData["Notice"] = $"There is no campaign '{id}' any more.";
                return Redirect("/console/campaigns");
            default:
                Status = (await campaigns.GetAsync(app, id!))?.Status;
                return Invalid(saved.Errors);
        }
    }

    /// <summary>The audience's size now (a fragment): a segment's exact size, or an inline rule's exact count.</summary>
    public async Task<IActionResult> OnPostReachAsync(CancellationToken cancellationToken)
    {
        var form = CampaignForm.From(Request.Form);
        string app = ConsoleAuth.AppId(HttpContext);
        string kind = form["audience.kind"];
        string? segment = kind == "segment" ? form["audience.segment"] : null;
        string? rule = kind == "rule" ? form["audience.rule"] : null;
        if (kind == "everyone") return Content(Html("Everyone the trigger reaches (no audience filter)."), "text/html");
        if (string.IsNullOrWhiteSpace(segment) && string.IsNullOrWhiteSpace(rule)) return Content("", "text/html");
        if (rule is { Length: > Domain.Segments.RuleParser.MaxLength }) return Content(Html("The rule is too long."), "text/html");
        if (segment is not null && !ResourceId.IsValid(segment)) return Content(Html("No such segment."), "text/html");
        long? reach = await campaigns.ReachAsync(app, segment, rule, cancellationToken);
        return Content(Html(reach is { } n ? $"Reach now: {Format.Number(n)} users." : segment is not null ? $"There is no segment '{segment}'." : "The rule is not valid yet."), "text/html");
    }

    /// <summary>The message rendered for a user by the send path, and the APNs and FCM requests it makes (a fragment).</summary>
    public async Task<IActionResult> OnPostPreviewAsync()
    {
        var form = CampaignForm.From(Request.Form);
        string user = form["preview.user"].Trim();
        if (user.Length == 0) return Partial("_Preview", new PreviewView(null, "Enter a user id to preview the message for that user.", null));
        if (!UserService.IsValidUserId(user)) return Partial("_Preview", new PreviewView(user, "That is not a valid user id.", null));
        var errors = new List<string>();
        var message = form.Message(form["preview.variant"], errors);
        if (message is null) return Partial("_Preview", new PreviewView(user, string.Join(" ", errors), null));
        var priority = form["priority"] switch { "high" => MessagePriority.High, "low" => MessagePriority.Low, _ => MessagePriority.Normal };
        var ttl = Apis.DurationText.TryParse(form["timeToLive"], out var typedTtl) ? typedTtl : TimeSpan.FromDays(1);
        string app = ConsoleAuth.AppId(HttpContext);
        var preview = await campaigns.PreviewAsync(app, Id ?? (form["id"] is { Length: > 0 } typed && ResourceId.IsValid(typed) ? typed : "new-campaign"),
            message, priority, ttl, user, push.Get(app).Apns?.BundleId, time.GetUtcNow());
        return Partial("_Preview", new PreviewView(user, preview.Error, preview));
    }

    /// <summary>A member of the audience or trigger segment, so the preview shows a real user at once.</summary>
    private async Task<string?> SampleUser(CampaignDefinition d)
    {
        string? segment = d.AudienceSegment ?? d.Trigger.Segment;
        if (segment is null) return null;
        var page = await segments.MembersAsync(ConsoleAuth.AppId(HttpContext), segment, 1, null);
        return page?.Members.FirstOrDefault();
    }

    private PageResult Invalid(IReadOnlyList<string> errors)
    {
        Errors = errors;
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return Page();
    }

    /// <summary>The errors about one field, for display beside it.</summary>
    public IEnumerable<string> ErrorsFor(string path) => Errors.Where(e => Form.FieldOf(e) == path);

    private async Task LoadChoices()
    {
        string app = ConsoleAuth.AppId(HttpContext);
        SegmentIds = (await segments.DefinitionsAsync(app)).Select(s => s.Id).ToList();
        GeofenceIds = (await geofences.ListAsync(app)).Select(g => g.Id).ToList();
    }

    private static string Html(string text) => $"<span>{System.Net.WebUtility.HtmlEncode(text)}</span>";
}

/// <summary>What the preview fragment shows: for whom, why nothing, or the rendering and the provider requests.</summary>
public sealed record PreviewView(string? User, string? Error, CampaignPreview? Preview);
