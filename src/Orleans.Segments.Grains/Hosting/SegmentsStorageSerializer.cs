using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;

namespace Orleans.Segments.Hosting;

/// <summary>
/// Grain state is written with Orleans' own binary serializer instead of the default Newtonsoft JSON one: every
/// state type is <c>[GenerateSerializer]</c> with stable <c>[Id]</c>s, so the format is compact, version
/// tolerant (fields are added, never renumbered) and several times faster (see docs/benchmarks.md).
/// </summary>
public static class SegmentsStorageSerializer
{
    public static IGrainStorageSerializer Create(IServiceProvider services) =>
        new OrleansGrainStorageSerializer(services.GetRequiredService<Serializer>());
}
