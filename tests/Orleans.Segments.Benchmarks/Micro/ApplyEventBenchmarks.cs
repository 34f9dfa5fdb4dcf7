using BenchmarkDotNet.Attributes;
using Orleans.Segments.Benchmarks.Workload;
using Orleans.Segments.Domain.Events;
using Orleans.Segments.Domain.Profile;

namespace Orleans.Segments.Benchmarks.Micro;

/// <summary>
/// <c>ProfileUpdater.Apply</c> of one new event to a realistic profile (a regular user's 60 days: ~55 events,
/// 5 event names, 10 traits, 3 interests, a device, yesterday's message ids).
/// </summary>
/// <remarks>
/// Apply changes the profile, so each operation gets its own fresh copy: the copies are made before each
/// iteration (not timed) and one iteration applies one event to each of <see cref="Operations"/> copies.
/// </remarks>
[MemoryDiagnoser]
public class ApplyEventBenchmarks
{
    private const int Operations = 8192;
    private readonly UserModelPolicy policy = UserModelPolicy.Default;
    private UserProfileState prototype = new();
    private UserProfileState[] copies = [];
    private UserEvent[][] events = [];
    private DateTime now;

    [GlobalSetup]
    public void Setup()
    {
        var persona = Persona.Of(42);
        var lastSeen = DateTime.UtcNow.Date.AddDays(-1).AddHours(20);
        prototype = Profiles.Build(UserHistory.Of(persona, lastSeen, UserShape.Regular), policy);
        now = lastSeen.AddHours(14);

        var random = new Random(3);
        events = new UserEvent[Operations][];
        for (int i = 0; i < Operations; i++)
        {
            events[i] =
            [
                new UserEvent(EventKind.Track, Persona.NewGuid(random), now.AddSeconds(-5))
                {
                    Name = "Product Viewed",
                    Numbers = new Dictionary<string, double>(StringComparer.Ordinal) { ["price"] = 19.99 },
                    Categories = [persona.Categories[i % 3]],
                    AnonymousId = persona.AnonymousId,
                },
            ];
        }
    }

    [IterationSetup]
    public void CopyProfiles()
    {
        var copier = Profiles.Copier;
        copies = new UserProfileState[Operations];
        for (int i = 0; i < Operations; i++) copies[i] = copier.Copy(prototype);
    }

    [Benchmark(OperationsPerInvoke = Operations, Description = "Apply 1 event to a realistic profile")]
    [InvocationCount(1, 1)]
    public int ApplyOneEvent()
    {
        int applied = 0;
        for (int i = 0; i < Operations; i++) applied += ProfileUpdater.Apply(copies[i], events[i], now, policy).Applied;
        return applied;
    }
}
