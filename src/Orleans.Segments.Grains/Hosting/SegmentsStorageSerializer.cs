using System.Buffers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Serialization;
using Orleans.Storage;

namespace Orleans.Segments.Hosting;

/// <summary>
/// Grain state is written with Orleans' own binary serializer instead of the default Newtonsoft JSON one: every
/// state type is <c>[GenerateSerializer]</c> with stable <c>[Id]</c>s, so the format is compact, version
/// tolerant (fields are added, never renumbered) and several times faster (see docs/benchmarks.md).
/// The bytes are <see cref="StoredStateFormat"/>'s (Orleans' format, except for user profiles). Each write
/// serializes into a buffer reused by the thread and keeps one exact-size copy, where Orleans' serializer grows
/// a new buffer by doubling on every write (a user write per push adds up).
/// </summary>
public sealed class SegmentsStorageSerializer(Serializer serializer, SegmentsMetrics? metrics = null, ProfileFormat profiles = ProfileFormat.MessagePack)
    : IGrainStorageSerializer, IGrainStorageStreamingSerializer
{
    public static IGrainStorageSerializer Create(IServiceProvider services) =>
        new SegmentsStorageSerializer(
            services.GetRequiredService<Serializer>(),
            services.GetService<SegmentsMetrics>(),
            services.GetService<IOptions<SegmentsOptions>>()?.Value.Storage.ProfileFormat ?? ProfileFormat.MessagePack);

    public BinaryData Serialize<T>(T? input) => new(ThreadSerializationBuffer.Write(serializer, input, profiles).ToArray());

    /// <summary>Reads stored bytes; bytes that cannot be read fail this grain with <see cref="UnreadableStateException"/>.</summary>
    public T? Deserialize<T>(BinaryData input) => UnreadableStateException.Read<T>(serializer, input.ToMemory(), metrics);

    public async ValueTask SerializeAsync<T>(T? input, Stream destination, CancellationToken cancellationToken = default)
    {
        var bytes = new ArrayBufferWriter<byte>(4096);
        StoredStateFormat.Write(serializer, input, bytes, profiles);
        await destination.WriteAsync(bytes.WrittenMemory, cancellationToken);
    }

    public async ValueTask<T?> DeserializeAsync<T>(Stream input, CancellationToken cancellationToken = default)
    {
        // Why: the profile's format is told by its first bytes, so the record is read whole (it is one grain's state).
        var bytes = new MemoryStream();
        await input.CopyToAsync(bytes, cancellationToken);
        return UnreadableStateException.Read<T>(serializer, bytes.GetBuffer().AsMemory(0, (int)bytes.Length), metrics);
    }
}
