using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Orleans.Segments.Segments;

namespace Orleans.Segments.Server.Console.Segments;

/// <summary>
/// The segment editor: the rule is checked by the server's parser as it is typed (errors at their line and
/// column), then counted exactly with 20 sample members, before anything is saved.
/// </summary>
public sealed class EditModel(SegmentService segments) : PageModel
{
    private const int Sample = 20;

    /// <summary>The id in the path (null on the page for a new one); never bound from the form, whose "id" field is separate.</summary>
    public string? Id => RouteData.Values.TryGetValue("id", out var value) ? value as string : null;

    public string? Name { get; private set; }

    public string Rule { get; private set; } = "";

    public bool IsNew { get; private set; }

    public string? Error { get; private set; }

    public IReadOnlyList<string> Errors { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync()
    {
        IsNew = Id is null;
        if (IsNew) return Page();
        if (!ResourceId.IsValid(Id)) return NotFound();
        var segment = await segments.GetAsync(ConsoleAuth.AppId(HttpContext), Id!);
        if (segment is null)
        {
            TempData["Notice"] = $"There is no segment '{Id}' (it may have been deleted in another tab).";
            return Redirect("/console/segments");
        }

        Name = segment.Name;
        Rule = segment.Rule;
        return Page();
    }

    /// <summary>The segment being edited was deleted meanwhile; saving again creates it anew.</summary>
    public bool Recreate { get; private set; }

    /// <summary>The id typed on the page for a new segment.</summary>
    public string? TypedId { get; private set; }

    public async Task<IActionResult> OnPostAsync(string? id, string? name, string? rule, string? recreate)
    {
        IsNew = Id is null;
        TypedId = id?.Trim();
        id = IsNew ? TypedId : Id;
        Name = name;
        Rule = rule ?? "";
        if (!ResourceId.IsValid(id))
        {
            Error = $"'{ResourceId.Printable(id ?? "")}' is not a valid id: {ResourceId.Rule}.";
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }

        if (name is { Length: > 200 })
        {
            Error = "The name may be at most 200 characters.";
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }

        string app = ConsoleAuth.AppId(HttpContext);
        if (IsNew && await segments.GetAsync(app, id!) is not null)
        {
            Error = $"There is already a segment '{id}'; open it to edit it, or choose another id.";
            Response.StatusCode = StatusCodes.Status409Conflict;
            return Page();
        }

        if (!IsNew && recreate != "yes" && await segments.GetAsync(app, id!) is null)
        {
            Recreate = true;
            Error = $"Segment {id} was deleted meanwhile (in another tab, or by the API); nothing was saved. Save again to create it anew with this rule.";
            Response.StatusCode = StatusCodes.Status409Conflict;
            return Page();
        }

        var saved = await segments.PutAsync(app, id!, string.IsNullOrWhiteSpace(name) ? null : name, Rule);
        if (saved.Status == CatalogChangeStatus.Invalid)
        {
            Errors = saved.Errors;
            Error = "The segment was not saved.";
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }

        TempData["Notice"] = saved.Status switch
        {
            CatalogChangeStatus.Created => $"Segment {id} created; its members are being found.",
            CatalogChangeStatus.Unchanged => "Nothing changed.",
            _ => $"Segment {id} saved; its members are being re-evaluated.",
        };
        return Redirect($"/console/segments/{Uri.EscapeDataString(id!)}");
    }

    /// <summary>The parser's verdict on the rule as typed (a fragment).</summary>
    public async Task<IActionResult> OnPostCheckAsync(string? id, string? rule)
    {
        if (string.IsNullOrWhiteSpace(rule)) return Partial("_RuleCheck", RuleCheckView.None);
        var check = await segments.CheckAsync(ConsoleAuth.AppId(HttpContext), rule, ResourceId.IsValid(id) ? id : null);
        return Partial("_RuleCheck", new RuleCheckView(check, rule, false));
    }

    /// <summary>The users a valid rule matches now, exactly, and some of them (a fragment).</summary>
    public async Task<IActionResult> OnPostCountAsync(string? rule, CancellationToken cancellationToken)
    {
        string app = ConsoleAuth.AppId(HttpContext);
        if (string.IsNullOrWhiteSpace(rule) || !(await segments.CheckAsync(app, rule)).IsValid) return Content("");
        return Partial("_RuleCount", await segments.PreviewAsync(app, rule, Sample, cancellationToken));
    }
}

/// <summary>What the rule check fragment shows: nothing yet, the first parse error with its line, unknown names, or validity.</summary>
public sealed record RuleCheckView(RuleCheck Check, string Text, bool Empty)
{
    public static RuleCheckView None { get; } = new(new RuleCheck(Domain.Segments.RuleParser.Parse("has_push_token"), []), "", true);

    public string Line(int number)
    {
        var lines = Text.Split('\n');
        return number >= 1 && number <= lines.Length ? lines[number - 1].TrimEnd('\r') : "";
    }
}
