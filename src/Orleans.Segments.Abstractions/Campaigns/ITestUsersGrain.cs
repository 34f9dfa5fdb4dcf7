namespace Orleans.Segments.Campaigns;

/// <summary>An app's test users (key: the app id): the people whose phones get test sends of campaigns and journey steps.</summary>
[Alias("segments.ITestUsersGrain")]
public interface ITestUsersGrain : IGrainWithStringKey
{
    /// <summary>Adds (or renames) a test user; false when the list is full.</summary>
    [Alias("Put")]
    Task<bool> Put(string userId, string? name);

    /// <summary>Removes a test user; false if they were not one.</summary>
    [Alias("Remove")]
    Task<bool> Remove(string userId);

    [Alias("List")]
    Task<TestUser[]> List();
}

/// <summary>A test user: their id and, optionally, who they are ("Ada's iPhone").</summary>
[GenerateSerializer, Immutable, Alias("segments.TestUser")]
public sealed record TestUser([property: Id(0)] string UserId, [property: Id(1)] string? Name, [property: Id(2)] DateTime AddedAt);
