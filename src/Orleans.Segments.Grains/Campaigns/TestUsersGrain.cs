namespace Orleans.Segments.Campaigns;

/// <summary>The app's test users, kept in the order they were added.</summary>
public sealed class TestUsersGrain(
    [PersistentState("testUsers", Hosting.SegmentsStorage.Name)] IPersistentState<TestUsersState> list,
    TimeProvider time) : Grain, ITestUsersGrain
{
    /// <summary>How many test users an app may have: a team's phones, not an audience.</summary>
    public const int MaxTestUsers = 50;

    async Task<bool> ITestUsersGrain.Put(string userId, string? name)
    {
        var users = list.State.Users;
        int index = users.FindIndex(u => u.UserId == userId);
        if (index < 0 && users.Count >= MaxTestUsers) return false;
        var user = new TestUser(userId, name, index < 0 ? time.GetUtcNow().UtcDateTime : users[index].AddedAt);
        if (index < 0) users.Add(user);
        else if (users[index] == user) return true;
        else users[index] = user;
        await list.WriteStateAsync();
        return true;
    }

    async Task<bool> ITestUsersGrain.Remove(string userId)
    {
        if (list.State.Users.RemoveAll(u => u.UserId == userId) == 0) return false;
        await list.WriteStateAsync();
        return true;
    }

    Task<TestUser[]> ITestUsersGrain.List() => Task.FromResult(list.State.Users.ToArray());
}

[GenerateSerializer, Alias("segments.TestUsersState")]
public sealed class TestUsersState
{
    [Id(0)] public List<TestUser> Users { get; set; } = [];
}
