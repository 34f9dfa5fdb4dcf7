namespace Orleans.Segments.Segments;

/// <summary>A page of at most 1000 users of one directory shard (key: <c>{app}/{shard}/{page}</c>).</summary>
[Alias("segments.IUserDirectoryPageGrain")]
public interface IUserDirectoryPageGrain : IGrainWithStringKey
{
    [Alias("Add")]
    Task<int> Add(string userId);

    [Alias("Remove")]
    Task Remove(string userId);

    [Alias("Users")]
    Task<string[]> Users();

    [Alias("Count")]
    Task<int> Count();
}
