using BenchmarkDotNet.Attributes;
using Orleans.Segments.Benchmarks.Workload;
using Orleans.Segments.Domain.Lifecycle;
using Orleans.Segments.Domain.Profile;

namespace Orleans.Segments.Benchmarks.Micro;

/// <summary>
/// The domain work of waking a silent user: when does its stage next change by itself (<c>NextChange</c>), and
/// <c>Advance</c> to a moment 30 s after that change, as the wake-up service does; <c>Wake</c> is what the grain
/// runs (Advance, then the next change to book).
/// </summary>
/// <remarks>Advance records a transition, so like Apply it runs on fresh copies made before each iteration.</remarks>
[MemoryDiagnoser]
public class SilentUserBenchmarks
{
    private const int Operations = 8192;
    private readonly UserModelPolicy policy = UserModelPolicy.Default;
    private UserProfileState prototype = new();
    private UserProfileState[] copies = [];
    private DateTime quietNow;
    private DateTime wakeAt;

    [GlobalSetup]
    public void Setup()
    {
        var lastSeen = DateTime.UtcNow.Date.AddDays(-10).AddHours(18);
        prototype = Profiles.Build(UserHistory.Of(Persona.Of(7), lastSeen, UserShape.Occasional), policy);
        quietNow = lastSeen.AddDays(3);
        var due = ProfileUpdater.NextTimeDrivenChange(prototype, quietNow, policy)
            ?? throw new InvalidOperationException("The silent user has no time-driven change ahead.");
        wakeAt = due.AddSeconds(30);
    }

    [IterationSetup(Targets = [nameof(Advance), nameof(Wake)])]
    public void CopyProfiles()
    {
        var copier = Profiles.Copier;
        copies = new UserProfileState[Operations];
        for (int i = 0; i < Operations; i++) copies[i] = copier.Copy(prototype);
    }

    [Benchmark(Description = "LifecycleMachine.NextChange, silent user")]
    public DateTime? NextChange() =>
        LifecycleMachine.NextChange(prototype.Activity, prototype.Counters.GetValueOrDefault(policy.Lifecycle.LoyalEvent), quietNow, policy.Lifecycle);

    [Benchmark(OperationsPerInvoke = Operations, Description = "ProfileUpdater.Advance past a due change")]
    [InvocationCount(1, 1)]
    public int Advance()
    {
        int transitions = 0;
        for (int i = 0; i < Operations; i++) transitions += ProfileUpdater.Advance(copies[i], wakeAt, policy).Transitions.Count;
        return transitions;
    }

    [Benchmark(OperationsPerInvoke = Operations, Description = "Wake: Advance + NextTimeDrivenChange")]
    [InvocationCount(1, 1)]
    public int Wake()
    {
        int booked = 0;
        for (int i = 0; i < Operations; i++)
        {
            ProfileUpdater.Advance(copies[i], wakeAt, policy);
            if (ProfileUpdater.NextTimeDrivenChange(copies[i], wakeAt, policy) is not null) booked++;
        }

        return booked;
    }
}
