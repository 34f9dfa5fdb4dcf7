using MessagePack;

namespace Orleans.Segments.Hosting;

/// <summary>The changes made to a grain's state since its snapshot was last written, oldest first.</summary>
[GenerateSerializer, Alias("segments.ChangeLog`1"), MessagePackObject]
public sealed class ChangeLog<TChange>
{
    [Id(0), Key(0)] public List<TChange> Changes { get; set; } = [];
}
