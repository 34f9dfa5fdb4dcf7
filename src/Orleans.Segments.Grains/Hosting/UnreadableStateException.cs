using Orleans.Serialization;

namespace Orleans.Segments.Hosting;

/// <summary>
/// A grain's stored state could not be read: corrupt bytes, or a format this version does not know (written by a
/// newer one). The grain is not activated and its record is left as it is, so nothing is lost and the call that
/// needed it fails with this reason; every other grain keeps working. Counted as
/// <c>segments.storage.unreadable_states</c> for an alert.
/// </summary>
[GenerateSerializer, Alias("segments.UnreadableStateException")]
public sealed class UnreadableStateException : Exception
{
    public UnreadableStateException(string stateType, Exception reason)
        : base($"The stored {stateType} could not be read ({reason.GetType().Name}: {reason.Message}); it was left untouched and the grain was not activated.", reason)
    {
        StateType = stateType;
    }

    [Id(0)]
    public string StateType { get; private set; }

    /// <summary>
    /// Deserializes stored bytes, turning any failure into an <see cref="UnreadableStateException"/> counted in the
    /// metrics; a user's profile gets the process's one copy of each name it is keyed by.
    /// </summary>
    public static T? Read<T>(Serializer serializer, ReadOnlyMemory<byte> bytes, SegmentsMetrics? metrics)
    {
        try
        {
            return Loaded(StoredStateFormat.Read<T>(serializer, bytes));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            metrics?.UnreadableState(typeof(T).Name);
            throw new UnreadableStateException(typeof(T).Name, ex);
        }
    }

    /// <summary>What every read from storage does to a state once it is deserialized.</summary>
    public static T? Loaded<T>(T? state)
    {
        if (state is Domain.Profile.UserProfileState profile) profile.PoolNames();
        return state;
    }
}
