using Orleans.Segments.Hosting;

namespace Orleans.Segments.Segments;

/// <summary>A page of users; calls no other grain.</summary>
public sealed class UserDirectoryPageGrain(
    [PersistentState("directory-page", SegmentsStorage.Name)] IPersistentState<UserDirectoryPageState> page) : Grain, IUserDirectoryPageGrain
{
    async Task<int> IUserDirectoryPageGrain.Add(string userId)
    {
        if (page.State.Users.Add(userId)) await page.WriteStateAsync();
        return page.State.Users.Count;
    }

    async Task IUserDirectoryPageGrain.Remove(string userId)
    {
        if (page.State.Users.Remove(userId)) await page.WriteStateAsync();
    }

    Task<string[]> IUserDirectoryPageGrain.Users() => Task.FromResult(page.State.Users.ToArray());
}
