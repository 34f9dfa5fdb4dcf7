using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Orleans.Segments.Domain.Journeys;
using Orleans.Segments.Journeys;

namespace Orleans.Segments.Server.Console.Journeys;

/// <summary>One journey: its entry, exits and conversion, and its steps as a diagram in the order a user meets them.</summary>
public sealed class DetailsModel(JourneyService journeys) : PageModel
{
    public Orleans.Segments.Journeys.JourneyView? Journey { get; private set; }

    public async Task<IActionResult> OnGetAsync(string id)
    {
        if (!ResourceId.IsValid(id)) return NotFound();
        Journey = await journeys.GetAsync(ConsoleAuth.AppId(HttpContext), id);
        return Journey is null ? NotFound() : Page();
    }

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

    /// <summary>Where a step leads, each path with its label.</summary>
    public static IEnumerable<(string Label, string To)> Paths(JourneyStep s)
    {
        if (s.Kind == JourneyStepKind.Wait && s.UntilEvent is not null)
        {
            if (s.Next is { } happened) yield return ("happened", happened);
            if (s.TimedOut is { } timedOut) yield return ("timed out", timedOut);
            yield break;
        }

        if (s.Next is { } next) yield return ("then", next);
        foreach (var r in s.Rules) yield return ($"if {r.Rule}", r.Next);
        if (s.Default is { } fallback) yield return ("otherwise", fallback);
        foreach (var p in s.Split) yield return ($"{p.Percent:0.##} %", p.Next);
    }
}
