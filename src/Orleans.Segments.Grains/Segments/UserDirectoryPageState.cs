using MessagePack;

namespace Orleans.Segments.Segments;

[GenerateSerializer, Alias("segments.UserDirectoryPageState"), MessagePackObject]
public sealed class UserDirectoryPageState
{
    [Id(0), Key(0)] public SortedSet<string> Users { get; set; } = new(StringComparer.Ordinal);
}
