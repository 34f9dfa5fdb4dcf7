using Orleans.Segments.Domain.Profile;

namespace Orleans.Segments.Domain.Segments;

/// <summary>Keeps a profile's segment memberships in step with a <see cref="SegmentSet"/>, recording each change.</summary>
public static class SegmentEvaluator
{
    /// <summary>How many segment transitions a profile keeps.</summary>
    public const int HistoryLength = 50;

    /// <summary>How many time-driven changes one call replays at their exact moments before catching up at once.</summary>
    public const int MaxSteps = 16;

    /// <summary>
    /// Applies every time-driven membership change due up to <paramref name="now"/>, each at its exact moment.
    /// Call before the lifecycle is advanced, so past instants see the stage they had.
    /// </summary>
    public static void AdvanceTo(UserProfileState state, SegmentSet segments, DateTime now, UserModelPolicy policy, List<MembershipTransition> changes)
    {
        if (state.SegmentsVersion != segments.Version || !segments.AnyTimeDependent || state.SegmentsEvaluatedAt >= now) return;
        var from = state.SegmentsEvaluatedAt;
        for (int step = 0; ; step++)
        {
            if (segments.NextChange(state, from, policy, now.AddTicks(1)) is not { } next) return;
            if (step == MaxSteps)
            {
                // Why: stopping here would leave memberships as they were at 'from' until some later event, or for
                // ever if nothing else changes; catching up at now loses only the exact times of the rest.
                Reevaluate(state, segments, now, policy, changes);
                return;
            }

            Reevaluate(state, segments, next, policy, changes);
            from = next;
        }
    }

    /// <summary>Evaluates every segment at <paramref name="at"/> and records entries and exits.</summary>
    public static void Reevaluate(UserProfileState state, SegmentSet segments, DateTime at, UserModelPolicy policy, List<MembershipTransition> changes)
    {
        var members = segments.EvaluateAll(state, at, policy);
        for (int i = 0; i < members.Length; i++)
        {
            string id = segments.Ordered[i].Id;
            bool was = state.Segments.ContainsKey(id);
            if (members[i] == was) continue;
            if (members[i]) state.Segments[id] = at;
            else state.Segments.Remove(id);
            Record(state, new MembershipTransition(id, members[i], at), changes);
        }

        // Segments that no longer exist: the user leaves them.
        if (state.Segments.Count > 0 && state.SegmentsVersion != segments.Version)
        {
            foreach (string id in state.Segments.Keys.Where(id => segments.Find(id) is null).ToList())
            {
                state.Segments.Remove(id);
                Record(state, new MembershipTransition(id, false, at), changes);
            }
        }

        state.SegmentsVersion = segments.Version;
        if (at > state.SegmentsEvaluatedAt) state.SegmentsEvaluatedAt = at;
    }

    private static void Record(UserProfileState state, MembershipTransition transition, List<MembershipTransition> changes)
    {
        changes.Add(transition);
        state.SegmentHistory.Add(transition);
        if (state.SegmentHistory.Count > HistoryLength) state.SegmentHistory.RemoveRange(0, state.SegmentHistory.Count - HistoryLength);
    }
}
