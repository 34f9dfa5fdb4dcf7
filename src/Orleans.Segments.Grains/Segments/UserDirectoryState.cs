namespace Orleans.Segments.Segments;

[GenerateSerializer, Alias("segments.UserDirectoryState")]
public sealed class UserDirectoryState
{
    [Id(0)] public int Pages { get; set; }

    /// <summary>No longer written (the last page is asked instead); kept so that stored records still read.</summary>
    [Id(1)] public int LastPageSize { get; set; }
}
