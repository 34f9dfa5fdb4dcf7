using Orleans.Segments.Domain.Behaviour;

namespace Orleans.Segments.Domain.Lifecycle;

/// <summary>
/// The lifecycle stage as a function of (activity, behaviour, now), and the exact moments at which it changes
/// with no event arriving. Everything takes <c>now</c> as an argument, so it is tested without waiting.
/// </summary>
public static class LifecycleMachine
{
    /// <summary>The stage at <paramref name="now"/>, or null for a user never seen.</summary>
    public static LifecycleStage? StageAt(ActivityLog activity, EventCounter? loyalEvents, DateTime now, LifecyclePolicy policy)
    {
        if (activity.LastSeen is not { } lastSeen || activity.FirstSeen is not { } firstSeen) return null;

        var silence = now - lastSeen;
        if (silence >= policy.LapsedAfter) return LifecycleStage.Lapsed;
        if (silence >= policy.AtRiskAfter) return LifecycleStage.AtRisk;
        if (IsLoyal(activity, loyalEvents, now, policy)) return LifecycleStage.Loyal;
        if (now - firstSeen < policy.NewFor) return LifecycleStage.New;
        return LifecycleStage.Active;
    }

    /// <summary>
    /// The first moment after <paramref name="after"/> at which the stage differs from the stage at
    /// <paramref name="after"/> if nothing else happens, or null if it never changes by itself.
    /// </summary>
    public static DateTime? NextChange(ActivityLog activity, EventCounter? loyalEvents, DateTime after, LifecyclePolicy policy)
    {
        if (activity.LastSeen is not { } lastSeen || activity.FirstSeen is not { } firstSeen) return null;

        // Why: the stage is a step function whose steps can only fall on these instants, so checking them in
        // order finds the exact moment of the next change.
        var candidates = new List<DateTime>(48)
        {
            lastSeen + policy.AtRiskAfter,
            lastSeen + policy.LapsedAfter,
            firstSeen + policy.NewFor,
        };

        if (loyalEvents is not null)
        {
            foreach (long t in loyalEvents.Recent) candidates.Add(new DateTime(t, DateTimeKind.Utc) + policy.LoyalEventWindow);
            foreach (int day in loyalEvents.Days) candidates.Add(DayNumber.Start(day + 1) + policy.LoyalEventWindow);
        }

        foreach (int day in activity.Days())
        {
            candidates.Add(DayNumber.Start(day + policy.LoyalActiveDaysWindow));
        }

        candidates.RemoveAll(t => t <= after);
        if (candidates.Count == 0) return null;
        candidates.Sort();

        var current = StageAt(activity, loyalEvents, after, policy);
        foreach (var t in candidates)
        {
            if (StageAt(activity, loyalEvents, t, policy) != current) return t;
        }

        return null;
    }

    /// <summary>
    /// Applies every time-driven transition due up to <paramref name="now"/>, each at its exact moment.
    /// Call before applying new events, so the history reflects what was known at each time.
    /// </summary>
    public static void AdvanceTo(LifecycleState state, ActivityLog activity, EventCounter? loyalEvents, DateTime now, LifecyclePolicy policy)
    {
        if (state.Stage is null)
        {
            state.EvaluatedAt = now;
            return;
        }

        var from = state.EvaluatedAt;
        for (int guard = 0; guard < 16 && from < now; guard++)
        {
            if (NextChange(activity, loyalEvents, from, policy) is not { } next || next > now) break;
            Record(state, StageAt(activity, loyalEvents, next, policy)!.Value, next, policy);
            from = next;
        }

        if (now > state.EvaluatedAt) state.EvaluatedAt = now;
    }

    /// <summary>Re-evaluates the stage at <paramref name="now"/> after new events and records a change.</summary>
    public static bool Reevaluate(LifecycleState state, ActivityLog activity, EventCounter? loyalEvents, DateTime now, LifecyclePolicy policy)
    {
        if (now > state.EvaluatedAt) state.EvaluatedAt = now;
        if (StageAt(activity, loyalEvents, now, policy) is not { } stage || stage == state.Stage) return false;
        Record(state, stage, now, policy);
        return true;
    }

    private static bool IsLoyal(ActivityLog activity, EventCounter? loyalEvents, DateTime now, LifecyclePolicy policy) =>
        (loyalEvents is not null && loyalEvents.CountWithin(policy.LoyalEventWindow, now) >= policy.LoyalMinEvents) ||
        activity.ActiveDaysWithin(policy.LoyalActiveDaysWindow, now) >= policy.LoyalMinActiveDays;

    private static void Record(LifecycleState state, LifecycleStage stage, DateTime at, LifecyclePolicy policy)
    {
        if (state.Stage == stage) return;
        state.History.Add(new LifecycleTransition(state.Stage, stage, at));
        state.Transitions++;
        if (state.History.Count > policy.HistoryLength) state.History.RemoveRange(0, state.History.Count - policy.HistoryLength);
        state.Stage = stage;
        state.Since = at;
    }
}
