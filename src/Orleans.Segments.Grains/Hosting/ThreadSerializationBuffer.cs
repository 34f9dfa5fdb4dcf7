using System.Buffers;
using Orleans.Serialization;

namespace Orleans.Segments.Hosting;

/// <summary>
/// A buffer per thread that grain state is serialized into (in <see cref="StoredStateFormat"/>) before it is copied where it is kept, so that a
/// write allocates no growing buffers. What <see cref="Write{T}"/> returns is valid until the thread's next call.
/// </summary>
internal static class ThreadSerializationBuffer
{
    /// <summary>A thread's buffer larger than this after a write is dropped rather than kept.</summary>
    private const int KeptBytes = 1 << 20;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? buffer;

    public static ReadOnlySpan<byte> Write<T>(Serializer serializer, T? value, StateFormat format = StateFormat.MessagePack)
    {
        var writer = buffer ??= new ArrayBufferWriter<byte>(4096);
        writer.ResetWrittenCount();
        StoredStateFormat.Write(serializer, value, writer, format);
        var written = writer.WrittenSpan;
        if (writer.Capacity > KeptBytes) buffer = null;
        return written;
    }
}
