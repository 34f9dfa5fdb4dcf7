using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Orleans.Segments.Campaigns;
using Orleans.Segments.Contracts;
using Orleans.Segments.Domain.Journeys;
using Orleans.Segments.Journeys;

namespace Orleans.Segments.Server.Console.Journeys;

/// <summary>
/// One journey: its status and commands (launch, pause, resume, archive), its entry, exits and conversion, and its
/// steps as a diagram in the order a user meets them, with the current version's counts at and through each step.
/// </summary>
public sealed class DetailsModel(JourneyService journeys, Application.UserService users) : PageModel
{
    public Orleans.Segments.Journeys.JourneyView? Journey { get; private set; }

    /// <summary>The current version's counts; null for a draft, which has none.</summary>
    public JourneyVersionStats? Counts { get; private set; }

    public string? Error { get; private set; }

    /// <summary>The command awaiting confirmation (<c>archive</c>), if any.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Confirm { get; set; }

    public async Task<IActionResult> OnGetAsync(string id) => await Load(id) ?? Page();

    /// <summary>Sends a message step's message to one user now, marked as a test: no cap, no consent, no statistics.</summary>
    public async Task<IActionResult> OnPostTestAsync(string id, string? step, string? user)
    {
        if (await Load(id) is { } missing) return missing;
        string app = ConsoleAuth.AppId(HttpContext);
        var message = Journey!.Definition.Step(step)?.Message;
        if (message is null)
        {
            Error = "That step sends no message.";
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        string userId = user?.Trim() ?? "";
        if (!Application.UserService.IsValidUserId(userId) || await users.ProfileAsync(app, userId) is null)
        {
            Error = userId.Length == 0 ? "Enter the user id to send the test to." : $"There is no user '{userId}' in this app.";
            Response.StatusCode = userId.Length == 0 ? StatusCodes.Status400BadRequest : StatusCodes.Status404NotFound;
            return Page();
        }

        var result = await users.SendTestAsync(app, userId, JourneyStatsKeys.StatsId(id), message, Journey.Definition.Category);
        TempData["Notice"] = $"Test push of step {step} to {userId}: {result.Status.ToString().ToLowerInvariant()}{(result.Detail.Length > 0 ? $" ({result.Detail})" : "")}.";
        return Redirect($"/console/journeys/{Uri.EscapeDataString(id)}#step-{step}");
    }

    public async Task<IActionResult> OnPostCommandAsync(string id, string? command, string? confirm)
    {
        if (await Load(id) is { } missing) return missing;
        string app = ConsoleAuth.AppId(HttpContext);
        if (command == "archive" && confirm != "yes")
        {
            Confirm = command;
            Error = "Confirm first.";
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        Task<JourneyCommandResult>? run = command switch
        {
            "launch" => journeys.LaunchAsync(app, id),
            "pause" => journeys.PauseAsync(app, id, "paused in the console"),
            "resume" => journeys.ResumeAsync(app, id),
            "archive" => journeys.ArchiveAsync(app, id, "archived in the console"),
            _ => null,
        };
        if (run is null)
        {
            Error = "Unknown command.";
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        var result = await run;
        if (result.Status is not (CampaignCommandStatus.Ok or CampaignCommandStatus.Created))
        {
            await Load(id);
            Error = $"Not done: {string.Join(" ", result.Errors)}";
            Response.StatusCode = StatusCodes.Status409Conflict;
            return Page();
        }

        TempData["Notice"] = command switch
        {
            "launch" => "Launched: users enter as its entry happens.",
            "pause" => "Paused: its users stay where they are and no one enters until you resume it.",
            "resume" => "Resumed: its users move on again.",
            _ => "Archived: its users leave the journey.",
        };
        return Redirect($"/console/journeys/{Uri.EscapeDataString(id)}");
    }

    private async Task<IActionResult?> Load(string id)
    {
        if (!ResourceId.IsValid(id)) return NotFound();
        string app = ConsoleAuth.AppId(HttpContext);
        Journey = await journeys.GetAsync(app, id);
        if (Journey is null) return NotFound();
        if (Journey.Status != JourneyStatus.Draft)
        {
            Counts = JourneyService.StatsView(Journey, await journeys.StatsAsync(app, id)).Versions.FirstOrDefault(v => v.Version == Journey.Version);
        }

        return null;
    }

    /// <summary>The counts of one step of the current version, if the journey has counts.</summary>
    public JourneyStepStats? CountsOf(string stepId) => Counts?.Steps.FirstOrDefault(s => s.Step == stepId);

    /// <summary>How many users took a path of a step (by the path's name in the counts), or null without counts.</summary>
    public static long? Took(JourneyStepStats? counts, string path) => counts is null ? null : counts.Moved.GetValueOrDefault(path);

    /// <summary>The steps breadth-first from the start (the order a user meets them), each with its depth.</summary>
    public static IEnumerable<(JourneyStep Step, int Depth)> Ordered(JourneyDefinition d)
    {
        var depth = new Dictionary<string, int>(StringComparer.Ordinal) { [d.Start] = 0 };
        var queue = new Queue<string>([d.Start]);
        var order = new List<string>();
        while (queue.Count > 0)
        {
            string id = queue.Dequeue();
            order.Add(id);
            foreach (string next in d.Step(id)?.Successors() ?? [])
            {
                if (depth.TryAdd(next, depth[id] + 1)) queue.Enqueue(next);
            }
        }

        return order.Select(id => d.Step(id)).OfType<JourneyStep>().Select(s => (s, depth[s.Id]));
    }

    /// <summary>What a step does, in a line.</summary>
    public static string Describe(JourneyStep s) => s.Kind switch
    {
        JourneyStepKind.Message => $"send “{s.Message?.Title}”",
        JourneyStepKind.Wait when s.Duration is { } d => $"wait {Shared.Format.Duration(d)}",
        JourneyStepKind.Wait when s.UntilLocalTime is { } t => $"wait until {t:HH\\:mm} in the user's time zone",
        JourneyStepKind.Wait => $"wait until “{s.UntilEvent}” happens, at most {Shared.Format.Duration(s.Timeout ?? TimeSpan.Zero)}",
        JourneyStepKind.Branch when s.Split.Length > 0 => "split at random",
        JourneyStepKind.Branch => "branch on the first rule that holds",
        _ => "leave the journey",
    };

    /// <summary>Where a step leads, each path with its label and its name in the counts.</summary>
    public static IEnumerable<(string Label, string To, string Path)> Paths(JourneyStep s)
    {
        if (s.Kind == JourneyStepKind.Wait && s.UntilEvent is not null)
        {
            if (s.Next is { } happened) yield return ("happened", happened, "happened");
            if (s.TimedOut is { } timedOut) yield return ("timed out", timedOut, "timed_out");
            yield break;
        }

        if (s.Next is { } next) yield return ("then", next, "next");
        for (int i = 0; i < s.Rules.Length; i++) yield return ($"if {s.Rules[i].Rule}", s.Rules[i].Next, $"rules[{i}]");
        if (s.Default is { } fallback) yield return ("otherwise", fallback, "otherwise");
        for (int i = 0; i < s.Split.Length; i++) yield return ($"{s.Split[i].Percent:0.##} %", s.Split[i].Next, $"split[{i}]");
    }
}
