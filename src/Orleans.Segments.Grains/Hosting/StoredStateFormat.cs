using System.Buffers;
using MessagePack;
using MessagePack.Formatters;
using MessagePack.Resolvers;
using Orleans.Segments.Domain.Profile;
using Orleans.Segments.Segments;
using Orleans.Segments.Wakeups;
using Orleans.Serialization;

namespace Orleans.Segments.Hosting;

/// <summary>
/// The bytes a grain state is stored as, for every storage provider. The records written on every event, push and
/// registration (a user's profile, and the segment index shards, directory pages and wake-up buckets with their change
/// logs) are MessagePack behind a four-byte tag: it tracks no shared references, where Orleans' binary serializer looks
/// every string and object of the state up in a table that it grows anew on each write, which was half the CPU of a
/// broadcast and the largest allocation of a new user's first event (docs/benchmarks.md). Every other state, and a
/// record of these types stored before the tag (Orleans' binary format), is read and written as before; a record in
/// the old format is rewritten in the new one at its next write. Members are MessagePack arrays indexed by
/// <c>[Key]</c> numbers, the same as their Orleans <c>[Id]</c>s, so fields are added as before (a missing index reads
/// as the member's default, an unknown one is skipped); a tag of a newer format version is refused as unreadable
/// rather than guessed at.
/// </summary>
public static class StoredStateFormat
{
    /// <summary>"SGP" and the format's version.</summary>
    private static ReadOnlySpan<byte> Tag => [0xA7, (byte)'S', (byte)'G', (byte)'P'];

    private const byte Version = 1;

    private static readonly MessagePackSerializerOptions Options = MessagePackSerializerOptions.Standard.WithResolver(StateResolver.Instance);

    /// <summary>The state types stored tagged (each is <c>[MessagePackObject]</c> throughout).</summary>
    public static IReadOnlyList<Type> TaggedTypes { get; } =
    [
        typeof(UserProfileState),
        typeof(SegmentIndexState), typeof(ChangeLog<SegmentIndexChange>),
        typeof(UserDirectoryPageState), typeof(ChangeLog<UserDirectoryChange>),
        typeof(WakeupBucketState), typeof(ChangeLog<WakeupBooking>),
    ];

    /// <summary>Writes <paramref name="value"/> as it is stored; the tagged types in <paramref name="format"/>.</summary>
    public static void Write<T>(Serializer serializer, T? value, IBufferWriter<byte> writer, StateFormat format = StateFormat.MessagePack)
    {
        if (Tagged<T>.Yes && value is not null && format == StateFormat.MessagePack)
        {
            var header = writer.GetSpan(Tag.Length + 1);
            Tag.CopyTo(header);
            header[Tag.Length] = Version;
            writer.Advance(Tag.Length + 1);
            MessagePackSerializer.Serialize(writer, value, Options);
            return;
        }

        serializer.Serialize(value, writer);
    }

    /// <summary>Reads stored bytes of either format; throws when they cannot be read.</summary>
    public static T? Read<T>(Serializer serializer, ReadOnlyMemory<byte> bytes)
    {
        var span = bytes.Span;
        if (Tagged<T>.Yes && span.Length > Tag.Length && span.StartsWith(Tag))
        {
            byte version = span[Tag.Length];
            if (version != Version)
            {
                throw new NotSupportedException($"the record is stored in format version {version}, written by a newer version of the engine; this one reads version {Version}");
            }

            var body = bytes[(Tag.Length + 1)..];
            var value = MessagePackSerializer.Deserialize<T>(body, Options, out int read);
            if (value is null || read != body.Length) throw new InvalidDataException($"the stored record has {body.Length - read} bytes after its end, or none");
            return value;
        }

        return serializer.Deserialize<T>(bytes);
    }

    /// <summary>True when <paramref name="bytes"/> are a record in the tagged format (for tests and diagnostics).</summary>
    public static bool IsTagged(ReadOnlySpan<byte> bytes) => bytes.StartsWith(Tag);

    private static class Tagged<T>
    {
        public static readonly bool Yes = TaggedTypes.Contains(typeof(T));
    }

    /// <summary>
    /// MessagePack's standard formatters, except times as their 64-bit binary form, which keeps DateTimeKind
    /// (MessagePack's timestamp would read an unspecified kind as local time), and sorted sets of strings, which are
    /// read back with the ordinal order they were kept in (MessagePack's would use the culture's). Each type's
    /// formatter is looked up once, in a static per type, where <c>CompositeResolver.Create</c> looks it up in a table
    /// on every member of every write (10 % of a broadcast's CPU in a profile).
    /// </summary>
    private sealed class StateResolver : IFormatterResolver
    {
        public static readonly StateResolver Instance = new();

        public IMessagePackFormatter<T>? GetFormatter<T>() => Cache<T>.Formatter;

        private static class Cache<T>
        {
            public static readonly IMessagePackFormatter<T>? Formatter =
                typeof(T) == typeof(SortedSet<string>) ? (IMessagePackFormatter<T>)(object)OrdinalSortedSetFormatter.Instance
                : NativeDateTimeResolver.Instance.GetFormatter<T>() ?? StandardResolver.Instance.GetFormatter<T>();
        }
    }

    /// <summary>A set of strings in ordinal order, as the index shards and directory pages keep and page through them.</summary>
    private sealed class OrdinalSortedSetFormatter : IMessagePackFormatter<SortedSet<string>?>
    {
        public static readonly OrdinalSortedSetFormatter Instance = new();

        public void Serialize(ref MessagePackWriter writer, SortedSet<string>? value, MessagePackSerializerOptions options)
        {
            if (value is null)
            {
                writer.WriteNil();
                return;
            }

            writer.WriteArrayHeader(value.Count);
            foreach (string item in value) writer.Write(item);
        }

        public SortedSet<string>? Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options)
        {
            if (reader.TryReadNil()) return null;
            int count = reader.ReadArrayHeader();
            var items = new List<string>(count);
            for (int i = 0; i < count; i++) items.Add(reader.ReadString() ?? throw new MessagePackSerializationException("a set holds a nil string"));
            return new SortedSet<string>(items, StringComparer.Ordinal);
        }
    }
}
