namespace Orleans.Segments.Users;

/// <summary>
/// References to user grains without the reflection <see cref="IGrainFactory.GetGrain{TGrainInterface}(string, string?)"/>
/// does on every call (it reads the interface's attributes to find its type): the grain and interface types
/// are resolved once and each reference is built from them. Broadcasts, the gateway and wake-ups make one
/// reference per user, which is where that reflection showed in profiles.
/// </summary>
public static class UserGrains
{
    /// <summary>
    /// Published whole, as one reference: a nullable tuple of two structs is written field by field, so a thread
    /// racing the first resolution could read it half-written (seen as a plain <see cref="GrainReference"/> that is
    /// no <see cref="IUserGrain"/>, when the wake-up shards first fired in parallel).
    /// </summary>
    private static Types? types;

    /// <summary>The grain of the user <paramref name="key"/>.</summary>
    public static IUserGrain User(this IGrainFactory grains, UserKey key) => grains.User(key.GrainKey);

    /// <summary>The grain whose key is <paramref name="grainKey"/> (<see cref="UserKey.GrainKey"/>).</summary>
    public static IUserGrain User(this IGrainFactory grains, string grainKey)
    {
        var resolved = Volatile.Read(ref types) ?? Resolve(grains);
        return (IUserGrain)grains.GetGrain(GrainId.Create(resolved.Grain, grainKey), resolved.Interface);
    }

    private static Types Resolve(IGrainFactory grains)
    {
        var reference = (GrainReference)grains.GetGrain<IUserGrain>("resolve/u/types");
        var resolved = new Types(reference.GrainId.Type, reference.InterfaceType);
        Volatile.Write(ref types, resolved);
        return resolved;
    }

    private sealed record Types(GrainType Grain, GrainInterfaceType Interface);
}
