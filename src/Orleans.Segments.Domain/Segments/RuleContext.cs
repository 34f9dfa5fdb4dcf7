using Orleans.Segments.Domain.Behaviour;
using Orleans.Segments.Domain.Lifecycle;
using Orleans.Segments.Domain.Profile;

namespace Orleans.Segments.Domain.Segments;

/// <summary>
/// One user at one moment, as rules see it. <see cref="At"/> may lie in the future when the engine looks for
/// the next time-driven change; everything time-dependent is computed for <see cref="At"/>.
/// </summary>
public sealed class RuleContext(UserProfileState state, DateTime at, UserModelPolicy policy)
{
    /// <summary>How many lifecycle changes ahead of <see cref="At"/> the next-change search looks at.</summary>
    private const int LifecycleChangesLookedAhead = 3;

    private List<DateTime>? lifecycleChangesAhead;
    private LifecycleStage? stage;
    private DateTime stageSince;
    private bool stageKnown;

    public UserProfileState State { get; } = state;

    public DateTime At { get; } = at;

    public UserModelPolicy Policy { get; } = policy;

    /// <summary>Whether the user is in another segment at <see cref="At"/>; set by the segment set.</summary>
    public Func<string, bool> InSegment { get; set; } = _ => false;

    public LifecycleStage? Stage
    {
        get
        {
            EnsureStage();
            return stage;
        }
    }

    public DateTime StageSince
    {
        get
        {
            EnsureStage();
            return stageSince;
        }
    }

    public EventCounter? LoyalCounter => State.Counters.GetValueOrDefault(Policy.Lifecycle.LoyalEvent);

    /// <summary>
    /// The lifecycle's next changes after <see cref="At"/> if nothing else happens (at most three), found once:
    /// every <c>stage</c> and <c>time_in_stage</c> condition of every segment asks for them.
    /// </summary>
    public IReadOnlyList<DateTime> LifecycleChangesAhead => lifecycleChangesAhead ??= FindLifecycleChangesAhead();

    private List<DateTime> FindLifecycleChangesAhead()
    {
        var changes = new List<DateTime>(LifecycleChangesLookedAhead);
        var loyal = LoyalCounter;
        var from = At;
        while (changes.Count < LifecycleChangesLookedAhead && LifecycleMachine.NextChange(State.Activity, loyal, from, Policy.Lifecycle) is { } next)
        {
            changes.Add(next);
            from = next;
        }

        return changes;
    }

    private void EnsureStage()
    {
        if (stageKnown) return;
        stageKnown = true;
        var lifecycle = State.Lifecycle;
        stage = lifecycle.Stage;
        stageSince = lifecycle.Since;
        if (At <= lifecycle.EvaluatedAt || stage is null) return;

        // Why: in the future the stored stage may no longer hold; walk the machine's changes up to At.
        var from = lifecycle.EvaluatedAt;
        for (int guard = 0; guard < 8; guard++)
        {
            if (LifecycleMachine.NextChange(State.Activity, LoyalCounter, from, Policy.Lifecycle) is not { } next || next > At) break;
            stage = LifecycleMachine.StageAt(State.Activity, LoyalCounter, next, Policy.Lifecycle);
            stageSince = next;
            from = next;
        }
    }
}
