namespace Orleans.Segments.Segments;

/// <summary>
/// One shard of an app's user directory (key: <c>{app}/{shard}</c>): hands out pages of at most 1000 users,
/// so a backfill can walk every user and no grain ever holds more than a page.
/// </summary>
[Alias("segments.IUserDirectoryGrain")]
public interface IUserDirectoryGrain : IGrainWithStringKey
{
    /// <summary>Adds the user to the shard's open page; returns the page's key.</summary>
    [Alias("Register")]
    Task<string> Register(string userId);

    /// <summary>How many pages the shard has.</summary>
    [Alias("Pages")]
    Task<int> Pages();
}
