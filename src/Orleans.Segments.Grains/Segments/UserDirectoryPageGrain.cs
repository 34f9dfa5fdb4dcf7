using Orleans.Segments.Hosting;

namespace Orleans.Segments.Segments;

/// <summary>
/// A page of users; calls no other grain. Persisted as a snapshot and a log of the additions and removals since
/// (<see cref="SnapshotWithLog{TState, TChange}"/>), so that registering a user does not rewrite the page.
/// </summary>
public sealed class UserDirectoryPageGrain(
    [PersistentState("directory-page", SegmentsStorage.Name)] IPersistentState<UserDirectoryPageState> snapshot,
    [PersistentState("directory-page-log", SegmentsStorage.Name)] IPersistentState<ChangeLog<UserDirectoryChange>> log) : Grain, IUserDirectoryPageGrain
{
    private readonly SnapshotWithLog<UserDirectoryPageState, UserDirectoryChange> page = new(snapshot, log, UserDirectoryChange.Apply, s => s.Users.Count);

    async Task<int> IUserDirectoryPageGrain.Add(string userId)
    {
        var users = (await page.Current()).Users;
        if (!users.Contains(userId)) await page.Commit(new UserDirectoryChange(userId, true));
        return users.Count;
    }

    async Task IUserDirectoryPageGrain.Remove(string userId)
    {
        if ((await page.Current()).Users.Contains(userId)) await page.Commit(new UserDirectoryChange(userId, false));
    }

    async Task<string[]> IUserDirectoryPageGrain.Users() => [.. (await page.Current()).Users];

    async Task<int> IUserDirectoryPageGrain.Count() => (await page.Current()).Users.Count;
}
