using Microsoft.Extensions.DependencyInjection;
using Orleans.Segments.Domain.Profile;
using Orleans.Serialization;

namespace Orleans.Segments.Benchmarks.Workload;

/// <summary>User profiles built with the pure domain, and the serializer the silo uses for them.</summary>
public static class Profiles
{
    private static readonly Lazy<IServiceProvider> Serialization =
        new(() => new ServiceCollection().AddSerializer().BuildServiceProvider());

    public static Serializer<UserProfileState> Serializer => Serialization.Value.GetRequiredService<Serializer<UserProfileState>>();

    /// <summary>The untyped serializer, as the storage providers are given it.</summary>
    public static Serializer AnySerializer => Serialization.Value.GetRequiredService<Serializer>();

    public static DeepCopier<UserProfileState> Copier => Serialization.Value.GetRequiredService<DeepCopier<UserProfileState>>();

    /// <summary>
    /// Replays <paramref name="sessions"/> as the user grain sees them: each session applied one minute after it
    /// ends, so the retry window, counters and lifecycle history look as they would in a live grain.
    /// </summary>
    public static UserProfileState Build(IEnumerable<Session> sessions, UserModelPolicy policy)
    {
        var state = new UserProfileState();
        foreach (var session in sessions) ProfileUpdater.Apply(state, session.Events, IngestedAt(session), policy);
        return state;
    }

    /// <summary>When the benchmarks deliver a session: one minute after its last event.</summary>
    public static DateTime IngestedAt(Session session) => session.End.AddMinutes(1);
}
