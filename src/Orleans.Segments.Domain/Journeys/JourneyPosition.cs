using MessagePack;

namespace Orleans.Segments.Domain.Journeys;

/// <summary>
/// One run of one user through one journey: where they are (or were when they left), since when, what they did
/// and why they left. Durable user state, changed only together with the step's effects.
/// </summary>
[GenerateSerializer, Alias("segments.JourneyPosition"), MessagePackObject]
public sealed class JourneyPosition
{
    /// <summary>The most trail entries kept per run (a run passes each of at most 50 steps once).</summary>
    public const int MaxTrail = 120;

    [Id(0), Key(0)] public string JourneyId { get; set; } = "";

    /// <summary>The version of the journey the user walks (a change to a live journey makes a new one).</summary>
    [Id(1), Key(1)] public int Version { get; set; }

    [Id(2), Key(2)] public string StepId { get; set; } = "";

    [Id(3), Key(3)] public DateTime EnteredAt { get; set; }

    /// <summary>When the user reached <see cref="StepId"/>.</summary>
    [Id(4), Key(4)] public DateTime StepSince { get; set; }

    /// <summary>When the wait the user is in ends (a wake-up is booked for it); none outside a wait.</summary>
    [Id(5), Key(5)] public DateTime? WaitUntil { get; set; }

    /// <summary>When the user left the journey; none while they are in it.</summary>
    [Id(6), Key(6)] public DateTime? LeftAt { get; set; }

    /// <summary>Why the user left: <c>completed</c>, an exit condition's reason, <c>step_removed</c>, <c>archived</c>.</summary>
    [Id(7), Key(7)] public string? ExitReason { get; set; }

    /// <summary>What the user did in this run, oldest first: the messages, the moves with their paths, the exit.</summary>
    [Id(8), Key(8)] public List<JourneyTrailEntry> Trail { get; set; } = [];

    /// <summary>Whether the journey's conversion event happened within its window of entry (counted once).</summary>
    [Id(9), Key(9)] public bool Converted { get; set; }

    /// <summary>
    /// The properties the entering API call gave (usable in the journey's message templates as <c>journey.*</c>);
    /// dropped when the run ends, so ended runs kept for history stay small.
    /// </summary>
    [Id(10), Key(10)] public Dictionary<string, string>? Properties { get; set; }

    [IgnoreMember]
    public bool Active => LeftAt is null;

    public void Record(JourneyTrailEntry entry)
    {
        if (Trail.Count >= MaxTrail) Trail.RemoveAt(0);
        Trail.Add(entry);
    }
}

public enum JourneyTrailKind : byte
{
    /// <summary>The user left <see cref="JourneyTrailEntry.StepId"/> by <see cref="JourneyTrailEntry.Detail"/> (the path).</summary>
    Moved,

    /// <summary>The message of <see cref="JourneyTrailEntry.StepId"/> was queued; <see cref="JourneyTrailEntry.Detail"/> is its notification id.</summary>
    Message,

    /// <summary>The user left the journey at <see cref="JourneyTrailEntry.StepId"/>; <see cref="JourneyTrailEntry.Detail"/> is the reason.</summary>
    Exited,
}

/// <summary>One thing a user did in a journey run.</summary>
[GenerateSerializer, Immutable, Alias("segments.JourneyTrailEntry"), MessagePackObject]
public sealed record JourneyTrailEntry(
    [property: Id(0), Key(0)] JourneyTrailKind Kind,
    [property: Id(1), Key(1)] string StepId,
    [property: Id(2), Key(2)] DateTime At,
    [property: Id(3), Key(3)] string? Detail);
