namespace Orleans.Segments.Segments;

[GenerateSerializer, Alias("segments.UserDirectoryState")]
public sealed class UserDirectoryState
{
    [Id(0)] public int Pages { get; set; }

    [Id(1)] public int LastPageSize { get; set; }
}
