using Orleans.Segments.Hosting;

namespace Orleans.Segments.Segments;

/// <summary>One shard of an app's user directory: it only counts pages; the pages hold the users.</summary>
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

    async Task<string> IUserDirectoryGrain.Register(string userId)
    {
        var s = directory.State;
        if (s.Pages == 0 || s.LastPageSize >= PageSize)
        {
            s.Pages++;
            s.LastPageSize = 0;
        }

        string page = $"{this.GetPrimaryKeyString()}/{s.Pages - 1}";
        s.LastPageSize = await GrainFactory.GetGrain<IUserDirectoryPageGrain>(page).Add(userId);
        await directory.WriteStateAsync();
        return page;
    }

    Task<int> IUserDirectoryGrain.Pages() => Task.FromResult(directory.State.Pages);
}
