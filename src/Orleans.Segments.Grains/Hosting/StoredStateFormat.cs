using System.Buffers;
using MessagePack;
using MessagePack.Formatters;
using MessagePack.Resolvers;
using Orleans.Segments.Domain.Profile;
using Orleans.Serialization;

namespace Orleans.Segments.Hosting;

/// <summary>
/// The bytes a grain state is stored as, for every storage provider. A user's profile, written on every event and
/// every push, is MessagePack behind a four-byte tag: it tracks no shared references, where Orleans' binary
/// serializer looks every string and object of the state up in a table that it grows anew on each write, which was
/// half the CPU of a broadcast (docs/benchmarks.md). Every other state, and a profile stored before the tag (Orleans'
/// binary format), is read and written as before; a profile in the old format is rewritten in the new one at its next
/// write. Members are MessagePack arrays indexed by <c>[Key]</c> numbers, the same as their Orleans <c>[Id]</c>s, so
/// fields are added as before (a missing index reads as the member's default, an unknown one is skipped); a tag of a
/// newer format version is refused as unreadable rather than guessed at.
/// </summary>
public static class StoredStateFormat
{
    /// <summary>"SGP" and the profile format's version.</summary>
    private static ReadOnlySpan<byte> ProfileTag => [0xA7, (byte)'S', (byte)'G', (byte)'P'];

    private const byte ProfileVersion = 1;

    private static readonly MessagePackSerializerOptions Options = MessagePackSerializerOptions.Standard.WithResolver(ProfileResolver.Instance);

    /// <summary>Writes <paramref name="value"/> as it is stored; a profile in <paramref name="profiles"/>' format.</summary>
    public static void Write<T>(Serializer serializer, T? value, IBufferWriter<byte> writer, ProfileFormat profiles = ProfileFormat.MessagePack)
    {
        if (value is UserProfileState profile && profiles == ProfileFormat.MessagePack)
        {
            var header = writer.GetSpan(ProfileTag.Length + 1);
            ProfileTag.CopyTo(header);
            header[ProfileTag.Length] = ProfileVersion;
            writer.Advance(ProfileTag.Length + 1);
            MessagePackSerializer.Serialize(writer, profile, Options);
            return;
        }

        serializer.Serialize(value, writer);
    }

    /// <summary>Reads stored bytes of either format; throws when they cannot be read.</summary>
    public static T? Read<T>(Serializer serializer, ReadOnlyMemory<byte> bytes)
    {
        var span = bytes.Span;
        if (typeof(T) == typeof(UserProfileState) && span.Length > ProfileTag.Length && span.StartsWith(ProfileTag))
        {
            byte version = span[ProfileTag.Length];
            if (version != ProfileVersion)
            {
                throw new NotSupportedException($"the profile is stored in format version {version}, written by a newer version of the engine; this one reads version {ProfileVersion}");
            }

            var body = bytes[(ProfileTag.Length + 1)..];
            var profile = MessagePackSerializer.Deserialize<UserProfileState>(body, Options, out int read);
            if (profile is null || read != body.Length) throw new InvalidDataException($"the stored profile has {body.Length - read} bytes after its end, or none");
            return (T)(object)profile;
        }

        return serializer.Deserialize<T>(bytes);
    }

    /// <summary>True when <paramref name="bytes"/> are a profile in the tagged format (for tests and diagnostics).</summary>
    public static bool IsTaggedProfile(ReadOnlySpan<byte> bytes) => bytes.StartsWith(ProfileTag);

    /// <summary>
    /// MessagePack's standard formatters, except times as their 64-bit binary form, which keeps DateTimeKind
    /// (MessagePack's timestamp would read an unspecified kind as local time). Each type's formatter is looked up
    /// once, in a static per type, where <c>CompositeResolver.Create</c> looks it up in a table on every member of
    /// every write (10 % of a broadcast's CPU in a profile).
    /// </summary>
    private sealed class ProfileResolver : IFormatterResolver
    {
        public static readonly ProfileResolver Instance = new();

        public IMessagePackFormatter<T>? GetFormatter<T>() => Cache<T>.Formatter;

        private static class Cache<T>
        {
            public static readonly IMessagePackFormatter<T>? Formatter =
                NativeDateTimeResolver.Instance.GetFormatter<T>() ?? StandardResolver.Instance.GetFormatter<T>();
        }
    }
}
