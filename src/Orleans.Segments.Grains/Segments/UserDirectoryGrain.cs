using Orleans.Segments.Hosting;

namespace Orleans.Segments.Segments;

/// <summary>
/// One shard of an app's user directory: it only counts pages; the pages hold the users. It writes only when it
/// opens a page; how full the last page is, it learns from the page itself after each activation.
/// </summary>
public sealed class UserDirectoryGrain(
    [PersistentState("directory", SegmentsStorage.Name)] IPersistentState<UserDirectoryState> directory) : Grain, IUserDirectoryGrain
{
    /// <summary>How many shards an app's directory has.</summary>
    public const int Shards = 64;

    /// <summary>The most users one page holds.</summary>
    public const int PageSize = 1000;

    public static string Key(string appId, int shard) => $"{appId}/{shard}";

    public static int ShardOf(string userId) =>
        (int)(System.IO.Hashing.XxHash32.HashToUInt32(System.Text.Encoding.UTF8.GetBytes(userId)) % Shards);

    /// <summary>How many users the last page holds; unknown (null) until asked in this activation.</summary>
    private int? lastPageSize;

    async Task<string> IUserDirectoryGrain.Register(string userId)
    {
        var s = directory.State;
        if (s.Pages > 0 && lastPageSize is null) lastPageSize = await LastPage().Count();
        if (s.Pages == 0 || lastPageSize >= PageSize)
        {
            s.Pages++;
            lastPageSize = 0;

            // Why: the page is counted before a user is placed on it, so Pages() never misses a user.
            await directory.WriteStateAsync();
        }

        lastPageSize = await LastPage().Add(userId);
        return $"{this.GetPrimaryKeyString()}/{s.Pages - 1}";
    }

    private IUserDirectoryPageGrain LastPage() =>
        GrainFactory.GetGrain<IUserDirectoryPageGrain>($"{this.GetPrimaryKeyString()}/{directory.State.Pages - 1}");

    Task<int> IUserDirectoryGrain.Pages() => Task.FromResult(directory.State.Pages);
}
