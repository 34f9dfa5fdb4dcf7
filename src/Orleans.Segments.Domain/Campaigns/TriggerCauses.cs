using Orleans.Segments.Domain.Lifecycle;
using Orleans.Segments.Domain.Segments;

namespace Orleans.Segments.Domain.Campaigns;

/// <summary>What changed in one turn of a user grain, as far as triggers care.</summary>
public sealed record TriggerCauses(
    IReadOnlyList<Events.UserEvent> Events,
    IReadOnlyList<MembershipTransition> Segments,
    IReadOnlyList<LifecycleTransition> Stages,
    IReadOnlyList<MembershipTransition> Geofences);
