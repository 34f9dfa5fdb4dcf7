using System.Buffers;
using BenchmarkDotNet.Attributes;
using Orleans.Segments.Benchmarks.Workload;
using Orleans.Segments.Domain.Campaigns;
using Orleans.Segments.Domain.Profile;
using Orleans.Segments.Hosting;
using Orleans.Segments.Users;

namespace Orleans.Segments.Benchmarks.Micro;

/// <summary>
/// Serializing a user's state, as every persisted decision does (a broadcast writes it once per push): a
/// regular user's profile from 60 days of sessions, with a short campaign history (5 pushes, as in the
/// broadcast benchmark) and with a full one (the 100-entry message log, 50 exposures, 90 days of ledger).
/// </summary>
[MemoryDiagnoser]
public class StateWriteBenchmarks
{
    private UserProfileState shortHistory = new();
    private UserProfileState fullHistory = new();

    [GlobalSetup]
    public void Setup()
    {
        var policy = UserModelPolicy.Default;
        var now = new DateTime(2026, 6, 1, 12, 0, 0, DateTimeKind.Utc);
        var persona = Persona.Of(42);
        shortHistory = WithPushes(Profiles.Build(UserHistory.Of(persona, now.AddDays(-1), UserShape.Regular), policy), 5, now);
        fullHistory = WithPushes(Profiles.Build(UserHistory.Of(persona, now.AddDays(-1), UserShape.Regular), policy), 100, now);
    }

    private static UserProfileState WithPushes(UserProfileState state, int pushes, DateTime now)
    {
        var user = UserKey.Known("shop", "user-0000042");
        for (int i = pushes; i > 0; i--)
        {
            var at = now.AddHours(-20 * i);
            string campaign = $"campaign-{i % 12}", occurrence = $"manual-{i}";
            string id = NotificationIds.For(user, campaign, occurrence);
            state.Sends.Add(new SendRecord(campaign, occurrence, MessageCategory.Marketing, at, id), now);
            state.Messages.Add(new MessageLogEntry(id, campaign, occurrence, MessageStatus.Delivered, SuppressionReason.None, $"accepted for {1 + i % 1} of 1 device(s)", at) { Variant = "default" });
            if (i <= 50)
            {
                state.Exposures.Add(new Exposure
                {
                    CampaignId = campaign, Variant = "default", NotificationId = id, At = at, Category = MessageCategory.Marketing, Pushed = true,
                    ConversionEvent = "Order Completed", ConversionUntil = at.AddDays(3),
                });
            }
        }

        return state;
    }

    private readonly ArrayBufferWriter<byte> buffer = new(1 << 16);

    [Benchmark(Description = "Orleans' format: a user's state, 5 pushes of history")]
    public int ShortHistory() => Profiles.Serializer.SerializeToArray(shortHistory).Length;

    [Benchmark(Description = "Orleans' format: a user's state, full history (100 log entries, 50 exposures, 100 sends)")]
    public int FullHistory() => Profiles.Serializer.SerializeToArray(fullHistory).Length;

    [Benchmark(Description = "Stored format (MessagePack): a user's state, 5 pushes of history")]
    public int ShortHistoryStored() => Stored(shortHistory);

    [Benchmark(Description = "Stored format (MessagePack): a user's state, full history (100 log entries, 50 exposures, 100 sends)")]
    public int FullHistoryStored() => Stored(fullHistory);

    /// <summary>As the storage providers write it: into a reused buffer, then one exact-size copy.</summary>
    private int Stored(UserProfileState state)
    {
        buffer.ResetWrittenCount();
        StoredStateFormat.Write(Profiles.AnySerializer, state, buffer);
        return buffer.WrittenSpan.ToArray().Length;
    }
}
