using MessagePack;

namespace Orleans.Segments.Domain.Journeys;

/// <summary>Where one user is in one journey: durable user state, changed only together with the step's effects.</summary>
[GenerateSerializer, Alias("segments.JourneyPosition"), MessagePackObject]
public sealed class JourneyPosition
{
    [Id(0), Key(0)] public string JourneyId { get; set; } = "";

    /// <summary>The version of the journey the user walks (a change to a live journey makes a new one).</summary>
    [Id(1), Key(1)] public int Version { get; set; }

    [Id(2), Key(2)] public string StepId { get; set; } = "";

    [Id(3), Key(3)] public DateTime EnteredAt { get; set; }

    /// <summary>When the user reached <see cref="StepId"/>.</summary>
    [Id(4), Key(4)] public DateTime StepSince { get; set; }

    /// <summary>When the wait the user is in ends (a wake-up is booked for it); none outside a wait.</summary>
    [Id(5), Key(5)] public DateTime? WaitUntil { get; set; }
}
