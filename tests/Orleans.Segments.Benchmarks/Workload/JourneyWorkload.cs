using Orleans.Segments.Domain.Campaigns;
using Orleans.Segments.Domain.Journeys;
using Orleans.Segments.Journeys;

namespace Orleans.Segments.Benchmarks.Workload;

/// <summary>Journeys as an app runs them, for the benchmarks: a 3-step one to walk users through, and a set of live ones.</summary>
public static class JourneyWorkload
{
    /// <summary>The event names the benchmark batches send (<see cref="SegmentJson"/>), which the live journeys enter on and await.</summary>
    private static readonly string[] BatchEvents = ["Product Viewed", "Application Opened", "Product Added", "Checkout Started", "Order Completed"];

    /// <summary>
    /// Message, a day's wait, message, exit, entered by <paramref name="entryEvent"/>; transactional, so that the
    /// caps do not stop the second message (each step is decided and pushed).
    /// </summary>
    public static JourneyDefinition ThreeSteps(string id, string entryEvent) => new(id, "Welcome series", new JourneyEntry(JourneyEntryKind.Event) { Event = entryEvent }, "hello",
    [
        new JourneyStep("hello", JourneyStepKind.Message) { Message = new CampaignMessage("Welcome {{ traits.first_name | default: \"there\" }}", "Here is what is new"), Next = "day1" },
        new JourneyStep("day1", JourneyStepKind.Wait) { Duration = TimeSpan.FromDays(1), Next = "follow-up" },
        new JourneyStep("follow-up", JourneyStepKind.Message) { Message = new CampaignMessage("Did you see?", "Your picks of the week"), Next = "end" },
        new JourneyStep("end", JourneyStepKind.Exit),
    ]) { Category = MessageCategory.Transactional };

    /// <summary>
    /// <paramref name="count"/> live marketing journeys entered by the batches' own events (so users are in several at
    /// once), each awaiting another of those events for up to three days, then branching on the user's history,
    /// with an exit on an order and re-entry a day after leaving. Without <paramref name="messages"/>, the message steps
    /// are waits of a minute instead: the journeys' bookkeeping without their sends.
    /// </summary>
    public static async Task LaunchLiveAsync(IGrainFactory grains, string appId, int count, bool messages = true)
    {
        for (int i = 0; i < count; i++)
        {
            string id = $"live-{i:D2}";
            var definition = new JourneyDefinition(id, $"Live journey {i}", new JourneyEntry(JourneyEntryKind.Event) { Event = BatchEvents[i % BatchEvents.Length] }, "hello",
            [
                messages
                    ? new JourneyStep("hello", JourneyStepKind.Message) { Message = new CampaignMessage($"Journey {i}", "Something for you"), Next = "await" }
                    : new JourneyStep("hello", JourneyStepKind.Wait) { Duration = TimeSpan.FromMinutes(1), Next = "await" },
                new JourneyStep("await", JourneyStepKind.Wait) { UntilEvent = BatchEvents[(i + 2) % BatchEvents.Length], Timeout = TimeSpan.FromDays(3), Next = "branch", TimedOut = "end" },
                new JourneyStep("branch", JourneyStepKind.Branch) { Rules = [new JourneyBranchPath("count(\"Product Added\", 7d) > 2", "offer")], Default = "end" },
                messages
                    ? new JourneyStep("offer", JourneyStepKind.Message) { Message = new CampaignMessage("10 % off", "Today only"), Next = "end" }
                    : new JourneyStep("offer", JourneyStepKind.Wait) { Duration = TimeSpan.FromMinutes(1), Next = "end" },
                new JourneyStep("end", JourneyStepKind.Exit),
            ])
            {
                Exits = i % 2 == 0 ? [new JourneyExitCondition(JourneyExitKind.Event) { Event = "Order Completed" }] : [],
                Reentry = true,
                ReentryAfter = TimeSpan.FromDays(1),
                ConversionEvent = "Order Completed",
            };
            await LaunchAsync(grains, appId, definition);
        }
    }

    public static async Task<IJourneyGrain> LaunchAsync(IGrainFactory grains, string appId, JourneyDefinition definition)
    {
        var journey = grains.GetGrain<IJourneyGrain>(JourneyGrain.Key(appId, definition.Id));
        var put = await journey.Put(definition);
        if (put.Errors.Length > 0) throw new InvalidOperationException($"journey {definition.Id}: {string.Join("; ", put.Errors)}");
        var launched = await journey.Launch();
        if (launched.Errors.Length > 0) throw new InvalidOperationException($"journey {definition.Id}: {string.Join("; ", launched.Errors)}");
        return journey;
    }
}
