using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Orleans.Segments.Campaigns;
using Orleans.Segments.Domain.Campaigns;

namespace Orleans.Segments.Server.Console.Campaigns;

/// <summary>
/// One campaign: its definition, the status commands (send now and cancel only after a confirmation that names
/// the audience size), a test send, and the live report.
/// </summary>
public sealed class DetailsModel(CampaignService campaigns, UserService users, TimeProvider time) : PageModel
{
    public CampaignView? Campaign { get; private set; }

    public CampaignReportView? Report { get; private set; }

    /// <summary>"send" or "cancel" while the page asks to confirm it.</summary>
    public string? Confirm { get; private set; }

    /// <summary>The audience size the send-now confirmation names.</summary>
    public long? Reach { get; private set; }

    public string? Error { get; private set; }

    /// <summary>The app's test users, offered in the test-send form.</summary>
    public Orleans.Segments.Campaigns.TestUser[] TestUsers { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string id, string? confirm, CancellationToken cancellationToken)
    {
        if (await Load(id) is { } missing) return missing;
        if (confirm is "send" or "cancel") Confirm = confirm;
        if (Confirm == "send") Reach = await ReachOf(Campaign!.Definition, cancellationToken);
        return Page();
    }

    /// <summary>The report alone (a fragment the page refreshes while it is open).</summary>
    public async Task<IActionResult> OnGetReportAsync(string id)
    {
        if (!ResourceId.IsValid(id)) return NotFound();
        string app = ConsoleAuth.AppId(HttpContext);
        var campaign = await campaigns.GetAsync(app, id);
        if (campaign is null) return Content("<p class=\"error\">This campaign no longer exists.</p>", "text/html");
        return Partial("_Report", new CampaignReportView(campaign, await campaigns.StatsAsync(app, id), time.GetUtcNow().UtcDateTime));
    }

    public async Task<IActionResult> OnPostCommandAsync(string id, string? command, string? confirm, CancellationToken cancellationToken)
    {
        if (await Load(id) is { } missing) return missing;
        CampaignCommand? parsed = command switch
        {
            "launch" => CampaignCommand.Launch,
            "pause" => CampaignCommand.Pause,
            "resume" => CampaignCommand.Resume,
            "cancel" => CampaignCommand.Cancel,
            "send" => CampaignCommand.SendNow,
            _ => null,
        };
        if (parsed is not { } chosen)
        {
            Error = "Unknown command.";
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        if (chosen is CampaignCommand.SendNow or CampaignCommand.Cancel && confirm != "yes")
        {
            Confirm = command;
            if (chosen == CampaignCommand.SendNow) Reach = await ReachOf(Campaign!.Definition, cancellationToken);
            Error = "Confirm first.";
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        var result = await campaigns.CommandAsync(ConsoleAuth.AppId(HttpContext), id, chosen, "paused in the console");
        if (result.Status is not (CampaignCommandStatus.Ok or CampaignCommandStatus.Created))
        {
            await Load(id);
            Error = $"Not done: {string.Join(" ", result.Errors)}";
            Response.StatusCode = StatusCodes.Status409Conflict;
            return Page();
        }

        TempData["Notice"] = chosen switch
        {
            CampaignCommand.Launch => "Launched: the campaign now sends as its trigger fires.",
            CampaignCommand.Pause => "Paused: nothing more is sent until you resume it.",
            CampaignCommand.Resume => "Resumed.",
            CampaignCommand.Cancel => "Cancelled: the campaign will never send again.",
            _ => "Broadcast started: the report below follows it.",
        };
        return Redirect(Here(id));
    }

    /// <summary>Sends the campaign's message (or a variant's) to one user now, marked as a test: no cap, no statistics.</summary>
    public async Task<IActionResult> OnPostTestAsync(string id, string? user, string? variant)
    {
        if (await Load(id) is { } missing) return missing;
        string app = ConsoleAuth.AppId(HttpContext);
        var message = Campaign!.Definition.MessageFor(variant);
        if (string.IsNullOrWhiteSpace(user) && TestUsers.Length > 0)
        {
            var results = new List<string>();
            foreach (var tester in TestUsers)
            {
                var sent = await users.SendTestAsync(app, tester.UserId, id, message, Campaign.Definition.Category);
                results.Add($"{tester.Name ?? tester.UserId}: {sent.Status.ToString().ToLowerInvariant()}");
            }

            TempData["Notice"] = $"Test push to {TestUsers.Length} test user(s): {string.Join("; ", results)}.";
            return Redirect(Here(id));
        }

        if (string.IsNullOrWhiteSpace(user) || !UserService.IsValidUserId(user.Trim()))
        {
            Error = "Enter the user id to send the test to (or add test users, who get it when the field is empty).";
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        string userId = user.Trim();
        if (await users.ProfileAsync(app, userId) is null)
        {
            Error = $"There is no user '{userId}' in this app.";
            Response.StatusCode = StatusCodes.Status404NotFound;
            return Page();
        }

        var result = await users.SendTestAsync(app, userId, id, message, Campaign.Definition.Category);
        TempData["Notice"] = $"Test push to {userId}: {result.Status.ToString().ToLowerInvariant()}{(result.Detail.Length > 0 ? $" ({result.Detail})" : "")}.";
        return Redirect(Here(id));
    }

    private static string Here(string id) => $"/console/campaigns/{Uri.EscapeDataString(id)}";

    private Task<long?> ReachOf(CampaignDefinition d, CancellationToken cancellationToken) =>
        campaigns.ReachAsync(ConsoleAuth.AppId(HttpContext), d.AudienceSegment, d.AudienceRule, cancellationToken);

    private async Task<IActionResult?> Load(string id)
    {
        string app = ConsoleAuth.AppId(HttpContext);
        Campaign = ResourceId.IsValid(id) ? await campaigns.GetAsync(app, id) : null;
        if (Campaign is null)
        {
            TempData["Notice"] = $"There is no campaign '{ResourceId.Printable(id)}' (it may have been removed in another tab).";
            return Redirect("/console/campaigns");
        }

        Report = new CampaignReportView(Campaign, await campaigns.StatsAsync(app, id), time.GetUtcNow().UtcDateTime);
        TestUsers = await users.TestUsersAsync(app);
        return null;
    }
}

/// <summary>The report: the funnel of the treated arms, reasons, every arm against the holdout, sends per hour, broadcasts.</summary>
public sealed record CampaignReportView(CampaignView Campaign, CampaignStats Stats, DateTime Now)
{
    public VariantStats Total { get; } = Stats.Total();

    public VariantStats Treated { get; } = Stats.Treated();

    public VariantStats? Holdout => Stats.Variants.GetValueOrDefault(VariantAssigner.Holdout);

    /// <summary>The users of the app's global control group this campaign would have reached.</summary>
    public VariantStats? Control => Stats.Variants.GetValueOrDefault(VariantAssigner.Control);

    /// <summary>What the treated arms are compared with: the campaign's holdout, else the app's control group.</summary>
    public VariantStats? Baseline => Holdout ?? Control;

    public static bool SentNothing(string arm) => arm is VariantAssigner.Holdout or VariantAssigner.Control;

    /// <summary>The arms in the definition's order (the main message is "control" when there are no variants), then any others counted.</summary>
    public IEnumerable<(string Arm, VariantStats Stats)> Arms()
    {
        foreach (var (arm, stats) in Stats.Variants.OrderBy(v => SentNothing(v.Key)).ThenBy(v => v.Key, StringComparer.Ordinal))
        {
            yield return (arm, stats);
        }
    }

    public ConversionLift? LiftOf(VariantStats arm) =>
        Baseline is { } baseline ? ConversionLift.Compare(arm.Converted, arm.Targeted, baseline.Converted, baseline.Targeted) : null;

    /// <summary>Sends per UTC hour over the last 7 days, oldest first, hours without sends included.</summary>
    public Shared.BarChart SendsPerHour()
    {
        long last = Now.Ticks / TimeSpan.TicksPerHour;
        var byHour = Stats.Hours.ToDictionary(h => h.Hour, h => h.Sent);
        var values = new List<double>(CampaignStats.HoursKept);
        var labels = new List<string>(CampaignStats.HoursKept);
        var ticks = new HashSet<int>();
        for (long hour = last - CampaignStats.HoursKept + 1; hour <= last; hour++)
        {
            values.Add(byHour.GetValueOrDefault(hour));
            var start = new DateTime(hour * TimeSpan.TicksPerHour, DateTimeKind.Utc);
            if (start.Hour == 0) ticks.Add(labels.Count);
            labels.Add(start.ToString(start.Hour == 0 ? "ddd d" : "ddd d HH:00", System.Globalization.CultureInfo.InvariantCulture));
        }

        return new Shared.BarChart("Pushes sent per hour, last 7 days (UTC)", values, labels, "pushes") { Ticks = ticks };
    }
}
