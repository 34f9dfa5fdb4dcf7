namespace Orleans.Segments.Users;

/// <summary>
/// References to user grains without the reflection <see cref="IGrainFactory.GetGrain{TGrainInterface}(string, string?)"/>
/// does on every call (it reads the interface's attributes to find its type): the grain and interface types
/// are resolved once and each reference is built from them. Broadcasts, the gateway and wake-ups make one
/// reference per user, which is where that reflection showed in profiles.
/// </summary>
public static class UserGrains
{
    private static (GrainType Grain, GrainInterfaceType Interface)? types;

    /// <summary>The grain of the user <paramref name="key"/>.</summary>
    public static IUserGrain User(this IGrainFactory grains, UserKey key) => grains.User(key.GrainKey);

    /// <summary>The grain whose key is <paramref name="grainKey"/> (<see cref="UserKey.GrainKey"/>).</summary>
    public static IUserGrain User(this IGrainFactory grains, string grainKey)
    {
        var (grain, @interface) = types ??= Resolve(grains);
        return (IUserGrain)grains.GetGrain(GrainId.Create(grain, grainKey), @interface);
    }

    private static (GrainType, GrainInterfaceType) Resolve(IGrainFactory grains)
    {
        var reference = (GrainReference)grains.GetGrain<IUserGrain>("resolve/u/types");
        return (reference.GrainId.Type, reference.InterfaceType);
    }
}
