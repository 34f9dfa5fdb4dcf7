using Orleans.Segments.Domain.Behaviour;
using Orleans.Segments.Domain.Lifecycle;

namespace Orleans.Segments.Domain.Segments;

/// <summary>
/// The instants after which a rule's value may change with no event: every condition is a step function of
/// time whose steps fall on instants computable from the profile (a window's edge passing an occurrence, a
/// duration since something crossing its threshold, a lifecycle change).
/// </summary>
public static class TimeCandidates
{
    private static readonly TimeSpan Tick = TimeSpan.FromTicks(1);

    public static void Collect(RuleNode node, RuleContext context, List<DateTime> into)
    {
        switch (node)
        {
            case AndNode a: foreach (var i in a.Items) Collect(i, context, into); break;
            case OrNode o: foreach (var i in o.Items) Collect(i, context, into); break;
            case NotNode n: Collect(n.Inner, context, into); break;
            case PredicateNode p: Term(p.Term, [], context, into); break;
            case CompareNode c: Term(c.Term, [c.Value], context, into); break;
            case InNode i: Term(i.Term, i.Values, context, into); break;
        }
    }

    /// <summary>True if the rule can change value by time alone.</summary>
    public static bool IsTimeDependent(RuleNode node) =>
        RuleParser.TermsOf(node).Any(t => RuleFunctions.All[t.Function].TimeDependent);

    private static void Term(Term term, IReadOnlyList<Literal> values, RuleContext context, List<DateTime> into)
    {
        var state = context.State;
        switch (term.Function)
        {
            case "count" or "sum":
                if (!state.Counters.TryGetValue(term.Args[0].Text!, out var counter)) return;
                var window = term.Args[^1].Duration;

                // Why: an event stamped ahead of the clock (ingestion allows a day) enters the window only when its
                // time (or its UTC day, for the buckets) comes, and leaves it a window later.
                if (term.Function == "count")
                {
                    foreach (long t in counter.Recent)
                    {
                        var occurred = new DateTime(t, DateTimeKind.Utc);
                        if (occurred > context.At) into.Add(occurred);
                        into.Add(occurred + window);
                    }
                }

                foreach (int day in counter.Days)
                {
                    if (DayNumber.Start(day) > context.At) into.Add(DayNumber.Start(day));
                    into.Add(DayNumber.Start(day + 1) + window);
                }

                return;
            case "since_last":
                if (!state.Counters.TryGetValue(term.Args[0].Text!, out var c)) return;

                // Why: since_last counts from the latest occurrence at or before the moment asked about, so an event
                // stamped ahead of the clock restarts it at its own time, and the thresholds run from each.
                for (int i = c.Recent.Count - 1; i >= 0; i--)
                {
                    var occurred = new DateTime(c.Recent[i], DateTimeKind.Utc);
                    Thresholds(occurred, values, into);
                    if (occurred <= context.At) break;
                    into.Add(occurred);
                }

                return;
            case "since_first_seen":
                if (state.Activity.FirstSeen is { } first) Thresholds(first, values, into);
                return;
            case "since_last_seen":
                if (state.Activity.LastSeen is { } seen) Thresholds(seen, values, into);
                return;
            case "time_in_stage":
                Thresholds(context.StageSince, values, into);
                Lifecycle(context, into, values);
                return;
            case "stage":
                Lifecycle(context, into, []);
                return;
        }
    }

    private static void Thresholds(DateTime anchor, IReadOnlyList<Literal> values, List<DateTime> into)
    {
        foreach (var value in values)
        {
            if (value.Type != RuleType.Duration) continue;
            var at = anchor + value.Duration;
            into.Add(at);
            into.Add(at + Tick);
        }
    }

    /// <summary>The next lifecycle changes, and the thresholds of <paramref name="values"/> counted from each.</summary>
    private static void Lifecycle(RuleContext context, List<DateTime> into, IReadOnlyList<Literal> values)
    {
        foreach (var next in context.LifecycleChangesAhead)
        {
            into.Add(next);

            // Why: time_in_stage starts again at a change ahead, and crosses its thresholds counted from there.
            Thresholds(next, values, into);
        }
    }
}
