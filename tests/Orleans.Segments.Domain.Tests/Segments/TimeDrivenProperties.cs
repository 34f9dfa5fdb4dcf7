using FsCheck.Xunit;
using Orleans.Segments.Domain.Profile;
using Orleans.Segments.Domain.Segments;
using Orleans.Segments.Domain.Tests.Segments.Generators;

namespace Orleans.Segments.Domain.Tests.Segments;

public sealed class TimeDrivenProperties
{
    private const int Probes = 40;

    [Property(Arbitrary = [typeof(SegmentArbitraries)], MaxTest = 150)]
    public void NoMembershipChangesBeforeTheNextChange(SegmentSetCase c)
    {
        var state = c.Build();
        var from = c.User.EvaluatedAt;
        var next = c.Segments.NextChange(state, from, c.User.Policy);
        var until = next ?? from + TimeSpan.FromDays(200);
        var before = c.Segments.EvaluateAll(state, from, c.User.Policy);

        var random = new Random(HashCode.Combine(from, until));
        var probes = Enumerable.Range(0, Probes)
            .Select(_ => from + TimeSpan.FromTicks(random.NextInt64(1, Math.Max(2, (until - from).Ticks))))
            .Append(until - TimeSpan.FromTicks(1));
        foreach (var at in probes.Where(t => t > from && t < until))
        {
            Assert.True(
                before.SequenceEqual(c.Segments.EvaluateAll(state, at, c.User.Policy)),
                $"memberships changed at {at:O}, before the next change {next:O} found after {from:O}");
        }
    }

    [Property(Arbitrary = [typeof(SegmentArbitraries)], MaxTest = 150)]
    public void AdvancingLeavesTheMembershipsTheRulesGiveThen(SegmentSetCase c)
    {
        var state = c.Build();
        var evaluated = state.SegmentsEvaluatedAt;
        var now = c.User.EvaluatedAt + c.Advance;

        var result = ProfileUpdater.Advance(state, now, c.User.Policy, c.Environment);

        var expected = c.Segments.Ordered.Where((_, i) => c.Segments.EvaluateAll(state, now, c.User.Policy)[i]).Select(s => s.Id);
        Assert.Equal(expected.Order(StringComparer.Ordinal), state.Segments.Keys.Order(StringComparer.Ordinal));
        Assert.All(result.SegmentChanges, change => Assert.InRange(change.At, evaluated, now));
        Assert.Equal(result.SegmentChanges.OrderBy(t => t.At).Select(t => t.At), result.SegmentChanges.Select(t => t.At));
    }

    [Property(Arbitrary = [typeof(SegmentArbitraries)], MaxTest = 150)]
    public void NextChangeBeforeABoundIsTheNextChangeWhenItComesFirstAndNoneOtherwise(SegmentSetCase c)
    {
        var state = c.Build();
        var from = c.User.EvaluatedAt;
        var policy = c.User.Policy;
        var next = c.Segments.NextChange(state, from, policy);
        var nextOfProfile = ProfileUpdater.NextTimeDrivenChange(state, from, policy, c.Environment);
        var anchor = next ?? from + c.Advance;

        foreach (var before in new[] { from, from + c.Advance, anchor, anchor.AddTicks(1), anchor.AddTicks(-1), nextOfProfile ?? anchor })
        {
            Assert.True((next < before ? next : null) == c.Segments.NextChange(state, from, policy, before), $"segments, bound {before:O}");
            Assert.True((nextOfProfile < before ? nextOfProfile : null) == ProfileUpdater.NextTimeDrivenChange(state, from, policy, c.Environment, before), $"profile, bound {before:O}");
        }
    }
}
