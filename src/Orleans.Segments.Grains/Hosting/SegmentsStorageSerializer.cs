using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;

namespace Orleans.Segments.Hosting;

/// <summary>
/// Grain state is written with Orleans' own binary serializer instead of the default Newtonsoft JSON one: every
/// state type is <c>[GenerateSerializer]</c> with stable <c>[Id]</c>s, so the format is compact, version
/// tolerant (fields are added, never renumbered) and several times faster (see docs/benchmarks.md).
/// The bytes are the same as Orleans' <see cref="OrleansGrainStorageSerializer"/> writes; only the buffer
/// differs: each write serializes into a buffer reused by the thread and keeps one exact-size copy, where
/// Orleans' serializer grows a new buffer by doubling on every write (a user write per push adds up).
/// </summary>
public sealed class SegmentsStorageSerializer(Serializer serializer, SegmentsMetrics? metrics = null) : IGrainStorageSerializer, IGrainStorageStreamingSerializer
{
    private readonly OrleansGrainStorageSerializer streaming = new(serializer);

    public static IGrainStorageSerializer Create(IServiceProvider services) =>
        new SegmentsStorageSerializer(services.GetRequiredService<Serializer>(), services.GetService<SegmentsMetrics>());

    public BinaryData Serialize<T>(T? input) => new(ThreadSerializationBuffer.Write(serializer, input).ToArray());

    /// <summary>Reads stored bytes; bytes that cannot be read fail this grain with <see cref="UnreadableStateException"/>.</summary>
    public T? Deserialize<T>(BinaryData input) => UnreadableStateException.Read<T>(serializer, input.ToMemory(), metrics);

    public ValueTask SerializeAsync<T>(T? input, Stream destination, CancellationToken cancellationToken = default) =>
        streaming.SerializeAsync(input, destination, cancellationToken);

    public async ValueTask<T?> DeserializeAsync<T>(Stream input, CancellationToken cancellationToken = default)
    {
        try
        {
            return UnreadableStateException.Loaded(await streaming.DeserializeAsync<T>(input, cancellationToken));
        }
        catch (Exception ex) when (ex is not (OutOfMemoryException or OperationCanceledException or IOException))
        {
            metrics?.UnreadableState(typeof(T).Name);
            throw new UnreadableStateException(typeof(T).Name, ex);
        }
    }
}
