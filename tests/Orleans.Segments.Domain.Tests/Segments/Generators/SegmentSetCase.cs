using Orleans.Segments.Domain.Geofences;
using Orleans.Segments.Domain.Profile;
using Orleans.Segments.Domain.Segments;

namespace Orleans.Segments.Domain.Tests.Segments.Generators;

/// <summary>
/// Segments "a", "b" and "c" (those in an <c>in_segment</c> cycle are left out by the build), a user whose
/// events were applied with them defined, and a later moment to advance to.
/// </summary>
public sealed record SegmentSetCase(IReadOnlyList<SegmentDefinition> Definitions, UserStory User, TimeSpan Advance)
{
    public SegmentSet Segments { get; } = SegmentSet.Build(1, Definitions);

    public ModelEnvironment Environment => new(Segments, UserStory.Environment.Geofences);

    public UserProfileState Build()
    {
        var state = new UserProfileState();
        foreach (var arrival in User.Arrivals)
        {
            if (arrival.Event is { } e) ProfileUpdater.Apply(state, [e], arrival.ReceivedAt, User.Policy, Environment);
        }

        return state;
    }

    public override string ToString() =>
        $"{System.Environment.NewLine}" + string.Join(System.Environment.NewLine, Definitions.Select(d => $"{d.Id}: {d.Rule}")) +
        $"{System.Environment.NewLine}advance by {Advance}{System.Environment.NewLine}user: {User}";
}
