using Orleans.Segments.Domain.Ingestion;

namespace Orleans.Segments.Users;

/// <summary>
/// Identifies one end user of one app; the user grain's key is <c>{app}/u/{userId}</c> or, for a visitor known
/// only by an anonymous id, <c>{app}/a/{anonymousId}</c>. The app id comes first so that no key of one app can
/// name another app's user.
/// </summary>
public readonly record struct UserKey(string AppId, UserRef User)
{
    public static UserKey Known(string appId, string userId) => new(appId, new UserRef(userId, false));

    public static UserKey AnonymousOf(string appId, string anonymousId) => new(appId, new UserRef(anonymousId, true));

    public string GrainKey => $"{AppId}/{(User.Anonymous ? 'a' : 'u')}/{User.Id}";

    public static UserKey Parse(string grainKey)
    {
        int first = grainKey.IndexOf('/');
        if (first <= 0 || grainKey.Length < first + 4 || grainKey[first + 2] != '/')
        {
            throw new FormatException($"'{grainKey}' is not a user grain key.");
        }

        bool anonymous = grainKey[first + 1] switch
        {
            'a' => true,
            'u' => false,
            _ => throw new FormatException($"'{grainKey}' is not a user grain key."),
        };

        return new UserKey(grainKey[..first], new UserRef(grainKey[(first + 3)..], anonymous));
    }

    public override string ToString() => GrainKey;
}
