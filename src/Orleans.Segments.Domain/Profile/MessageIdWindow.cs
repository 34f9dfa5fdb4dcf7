using System.IO.Hashing;
using System.Text;
using MessagePack;

namespace Orleans.Segments.Domain.Profile;

/// <summary>
/// The message ids applied recently, so that a retried message is applied once. Ids are kept as 64-bit hashes
/// (XxHash3) with their arrival time: bounded by <see cref="DedupePolicy"/> in age and in number.
/// </summary>
[GenerateSerializer, Alias("segments.MessageIdWindow")]
[MessagePackObject]
public sealed class MessageIdWindow
{
    /// <summary>Hashes in arrival order.</summary>
    [Id(0), Key(0)] public List<ulong> Hashes { get; set; } = [];

    /// <summary>Arrival times (ticks), aligned with <see cref="Hashes"/>.</summary>
    [Id(1), Key(1)] public List<long> ArrivedAt { get; set; } = [];

    public static ulong Hash(string messageId) => XxHash3.HashToUInt64(Encoding.UTF8.GetBytes(messageId));

    public bool Contains(ulong hash) => System.Runtime.InteropServices.CollectionsMarshal.AsSpan(Hashes).Contains(hash);

    /// <summary>Remembers <paramref name="hash"/> and forgets what has grown too old or too many.</summary>
    public void Add(ulong hash, DateTime now, DedupePolicy policy)
    {
        Hashes.Add(hash);
        ArrivedAt.Add(now.Ticks);
        long oldest = (now - policy.Window).Ticks;
        int drop = 0;
        while (drop < ArrivedAt.Count && (ArrivedAt[drop] < oldest || ArrivedAt.Count - drop > policy.Capacity)) drop++;
        if (drop == 0) return;
        Hashes.RemoveRange(0, drop);
        ArrivedAt.RemoveRange(0, drop);
    }
}
