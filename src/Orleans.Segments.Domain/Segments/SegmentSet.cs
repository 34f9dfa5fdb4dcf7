using Orleans.Segments.Domain.Profile;

namespace Orleans.Segments.Domain.Segments;

/// <summary>
/// All segments of one app at one version, compiled once and ordered so that a segment comes after the
/// segments it names with <c>in_segment</c> (cycles are rejected when a definition is saved).
/// </summary>
public sealed class SegmentSet
{
    /// <summary>How many future instants are examined when looking for the next time-driven change.</summary>
    private const int MaxCandidates = 512;

    public static readonly SegmentSet Empty = new(0, []);

    private readonly Dictionary<string, int> positions;

    private SegmentSet(long version, IReadOnlyList<CompiledSegment> ordered)
    {
        Version = version;
        Ordered = ordered;
        positions = ordered.Select((s, i) => (s.Id, i)).ToDictionary(p => p.Id, p => p.i, StringComparer.Ordinal);
        AnyTimeDependent = ordered.Any(s => s.TimeDependent);
    }

    public long Version { get; }

    public IReadOnlyList<CompiledSegment> Ordered { get; }

    public bool AnyTimeDependent { get; }

    public CompiledSegment? Find(string id) => positions.TryGetValue(id, out int i) ? Ordered[i] : null;

    /// <summary>Compiles <paramref name="definitions"/>; invalid ones and those in cycles are reported and left out.</summary>
    public static SegmentSet Build(long version, IEnumerable<SegmentDefinition> definitions, List<string>? problems = null)
    {
        var parsed = new Dictionary<string, (SegmentDefinition Definition, ParsedRule Rule)>(StringComparer.Ordinal);
        foreach (var definition in definitions)
        {
            var rule = RuleParser.Parse(definition.Rule);
            if (rule.IsValid) parsed[definition.Id] = (definition, rule);
            else problems?.Add($"{definition.Id}: {rule.Errors[0]}");
        }

        var ordered = new List<CompiledSegment>();
        var state = new Dictionary<string, int>(StringComparer.Ordinal); // 1 visiting, 2 done
        foreach (string id in parsed.Keys.Order(StringComparer.Ordinal)) Visit(id);
        return new SegmentSet(version, ordered);

        bool Visit(string id)
        {
            if (!parsed.TryGetValue(id, out var entry)) return false;
            if (state.TryGetValue(id, out int mark)) return mark == 2;
            state[id] = 1;
            var dependencies = entry.Rule.SegmentReferences.ToList();
            foreach (string dependency in dependencies)
            {
                if (!Visit(dependency))
                {
                    problems?.Add($"{id}: in_segment(\"{dependency}\") names a missing segment or forms a cycle.");
                    state[id] = 3;
                    return false;
                }
            }

            state[id] = 2;
            var root = entry.Rule.Root!;
            bool timeDependent = TimeCandidates.IsTimeDependent(root);
            ordered.Add(new CompiledSegment(entry.Definition, root, RuleCompiler.Compile(root), timeDependent, dependencies));
            return true;
        }
    }

    /// <summary>The segments the user is in at <paramref name="at"/>, in <see cref="Ordered"/> order.</summary>
    public bool[] EvaluateAll(UserProfileState state, DateTime at, UserModelPolicy policy)
    {
        var results = new bool[Ordered.Count];
        var context = new RuleContext(state, at, policy) { InSegment = id => positions.TryGetValue(id, out int i) && results[i] };
        for (int i = 0; i < Ordered.Count; i++) results[i] = Ordered[i].Evaluate(context);
        return results;
    }

    /// <summary>
    /// The first instant after <paramref name="after"/> (and before <paramref name="before"/>, if given) at which
    /// some membership differs from the memberships at <paramref name="after"/>, if nothing else happens; null if
    /// there is none.
    /// </summary>
    /// <remarks>
    /// Why one walk in time order: a segment can change only at its own candidate instants (and those of the
    /// segments it names), so walking all segments' candidates in time order, evaluating only the segment whose
    /// candidate it is, stops at the first change of any segment. One evaluation per instant is shared by the
    /// segments that have a candidate there. A per-segment walk evaluated each segment up to its own first change.
    /// With <paramref name="before"/>, the walk is the same, cut off there: the answer is the unbounded one when
    /// that lies before it, and null otherwise, and candidates at or past it are not even sorted.
    /// </remarks>
    public DateTime? NextChange(UserProfileState state, DateTime after, UserModelPolicy policy, DateTime? before = null)
    {
        var end = before ?? DateTime.MaxValue;
        if (end <= after) return null;
        if (!AnyTimeDependent) return null;
        var now = new Evaluation(this, state, after, policy);
        var own = new List<DateTime>();
        var visited = new HashSet<int>();
        var candidates = new List<(DateTime At, int Segment)>();
        for (int i = 0; i < Ordered.Count; i++)
        {
            if (!Ordered[i].TimeDependent) continue;
            own.Clear();
            visited.Clear();
            CollectCandidates(i, now.Context, own, visited);
            foreach (var t in own)
            {
                if (t > after && t < end) candidates.Add((t, i));
            }
        }

        candidates.Sort();
        var examined = new int[Ordered.Count];
        Evaluation? then = null;
        (DateTime At, int Segment) previous = (default, -1);
        foreach (var candidate in candidates)
        {
            if (candidate == previous) continue;
            previous = candidate;
            if (++examined[candidate.Segment] > MaxCandidates) return candidate.At;
            if (then is null || then.Context.At != candidate.At) then = new Evaluation(this, state, candidate.At, policy);
            if (then.Member(candidate.Segment) != now.Member(candidate.Segment)) return candidate.At;
        }

        return null;
    }

    private void CollectCandidates(int index, RuleContext context, List<DateTime> into, HashSet<int> visited)
    {
        if (!visited.Add(index)) return;
        var segment = Ordered[index];
        TimeCandidates.Collect(segment.Rule, context, into);
        foreach (string dependency in segment.DependsOn)
        {
            if (positions.TryGetValue(dependency, out int d) && Ordered[d].TimeDependent) CollectCandidates(d, context, into, visited);
        }
    }

    /// <summary>Memberships at one instant, evaluated on demand (a segment and the segments it names only).</summary>
    private sealed class Evaluation
    {
        private readonly SegmentSet set;
        private readonly Dictionary<int, bool> memo = [];

        public Evaluation(SegmentSet set, UserProfileState state, DateTime at, UserModelPolicy policy)
        {
            this.set = set;
            Context = new RuleContext(state, at, policy) { InSegment = id => set.positions.TryGetValue(id, out int i) && Member(i) };
        }

        public RuleContext Context { get; }

        public bool Member(int index)
        {
            if (memo.TryGetValue(index, out bool known)) return known;
            bool member = set.Ordered[index].Evaluate(Context);
            memo[index] = member;
            return member;
        }
    }
}
