using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Serialization;
using Orleans.Storage;

namespace Orleans.Segments.Hosting;

/// <summary>
/// Replaces Orleans' default Newtonsoft JSON grain-storage serializer for every provider of the silo. The bytes are
/// <see cref="StoredStateFormat"/>'s: Orleans' binary format (every state type is <c>[GenerateSerializer]</c> with
/// stable <c>[Id]</c>s), except the records written on every event, push and registration (profiles, index shards,
/// directory pages, wake-up buckets), which are tagged MessagePack unless <paramref name="format"/> says otherwise
/// (a rolling upgrade). Each write serializes into a buffer reused by the thread and keeps one exact-size
/// copy, where Orleans' serializer grows a new buffer by doubling on every write (a user write per push adds up).
/// </summary>
public sealed class SegmentsStorageSerializer(Serializer serializer, SegmentsMetrics? metrics = null, StateFormat format = StateFormat.MessagePack)
    : IGrainStorageSerializer, IGrainStorageStreamingSerializer
{
    public static IGrainStorageSerializer Create(IServiceProvider services) =>
        new SegmentsStorageSerializer(
            services.GetRequiredService<Serializer>(),
            services.GetService<SegmentsMetrics>(),
            services.GetService<IOptions<SegmentsOptions>>()?.Value.Storage.StateFormat ?? StateFormat.MessagePack);

    public BinaryData Serialize<T>(T? input) => new(ThreadSerializationBuffer.Write(serializer, input, format).ToArray());

    /// <summary>Reads stored bytes; bytes that cannot be read fail this grain with <see cref="UnreadableStateException"/>.</summary>
    public T? Deserialize<T>(BinaryData input) => UnreadableStateException.Read<T>(serializer, input.ToMemory(), metrics);

    public ValueTask SerializeAsync<T>(T? input, Stream destination, CancellationToken cancellationToken = default) =>
        destination.WriteAsync(Serialize(input).ToMemory(), cancellationToken);

    public async ValueTask<T?> DeserializeAsync<T>(Stream input, CancellationToken cancellationToken = default)
    {
        // Why: the profile's format is told by its first bytes, so the record is read whole (it is one grain's state).
        var bytes = new MemoryStream();
        await input.CopyToAsync(bytes, cancellationToken);
        return UnreadableStateException.Read<T>(serializer, bytes.GetBuffer().AsMemory(0, (int)bytes.Length), metrics);
    }
}
