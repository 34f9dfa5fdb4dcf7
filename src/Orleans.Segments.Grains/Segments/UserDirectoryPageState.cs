namespace Orleans.Segments.Segments;

[GenerateSerializer, Alias("segments.UserDirectoryPageState")]
public sealed class UserDirectoryPageState
{
    [Id(0)] public SortedSet<string> Users { get; set; } = new(StringComparer.Ordinal);
}
