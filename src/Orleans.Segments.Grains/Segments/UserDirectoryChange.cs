using MessagePack;

namespace Orleans.Segments.Segments;

/// <summary>One user added to or removed from a directory page; replaying it sets the user's presence outright.</summary>
[GenerateSerializer, Immutable, Alias("segments.UserDirectoryChange"), MessagePackObject]
public readonly record struct UserDirectoryChange([property: Id(0), Key(0)] string UserId, [property: Id(1), Key(1)] bool Present)
{
    public static void Apply(UserDirectoryPageState state, UserDirectoryChange change)
    {
        if (change.Present) state.Users.Add(change.UserId);
        else state.Users.Remove(change.UserId);
    }
}
