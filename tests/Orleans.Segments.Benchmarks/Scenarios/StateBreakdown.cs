using Orleans.Segments.Benchmarks.Infrastructure;
using Orleans.Segments.Domain.Interests;
using Orleans.Segments.Domain.Lifecycle;
using Orleans.Segments.Domain.Profile;

namespace Orleans.Segments.Benchmarks.Scenarios;

/// <summary>Where a profile's heap goes: each part is emptied on every state in turn and the heap drop measured.</summary>
public static class StateBreakdown
{
    public static IReadOnlyList<(string Part, double BytesPerUser)> Measure(UserProfileState[] states)
    {
        var parts = new (string Name, Action<UserProfileState> Empty)[]
        {
            ("behaviour counters", s => s.Counters = new(StringComparer.Ordinal)),
            ("traits", s => s.Traits = new(StringComparer.Ordinal)),
            ("message-id window", s => s.MessageIds = new MessageIdWindow()),
            ("interests", s => s.Interests = new InterestScores()),
            ("lifecycle history", s => s.Lifecycle = new LifecycleState()),
            ("devices", s => s.Devices = []),
            ("location, time zone, anonymous ids", s => { s.Location = null; s.TimeZone = null; s.AnonymousIds = []; }),
            ("activity log, subscriptions, lifecycle", s => { s.Activity = null!; s.Subscriptions = null!; s.Lifecycle = null!; }),
        };

        var result = new List<(string, double)>();
        long before = Heap.Settle();
        foreach (var (name, empty) in parts)
        {
            foreach (var state in states) empty(state);
            long after = Heap.Settle();
            result.Add((name, (double)(before - after) / states.Length));
            before = after;
        }

        Array.Clear(states);
        long gone = Heap.Settle();
        result.Add(("the profile object and its dictionaries", (double)(before - gone) / states.Length));
        return result;
    }
}
