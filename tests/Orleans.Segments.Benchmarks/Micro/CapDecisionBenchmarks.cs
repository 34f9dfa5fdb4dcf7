using BenchmarkDotNet.Attributes;
using Orleans.Segments.Benchmarks.Workload;
using Orleans.Segments.Domain.Campaigns;
using Orleans.Segments.Domain.Events;
using Orleans.Segments.Domain.Profile;

namespace Orleans.Segments.Benchmarks.Micro;

/// <summary>
/// One cap decision (<c>SendDecider.Decide</c>: consent, device, campaign cap, app caps with the high-priority
/// reserve, minimum gap, quiet hours) for a user with 90 days of history: 40 pushes from 8 campaigns, 2 of
/// them in the last 24 hours. "Allowed" reserves the slot (each operation on its own copy of the profile);
/// "capped" is refused by the 24-hour cap and changes nothing.
/// </summary>
[MemoryDiagnoser]
public class CapDecisionBenchmarks
{
    private const int Operations = 8192;
    private readonly UserModelPolicy policy = new() { Caps = new CapPolicy { MinimumGap = TimeSpan.FromMinutes(30) } };
    private UserProfileState prototype = new();
    private UserProfileState full = new();
    private UserProfileState[] copies = [];
    private SendRequest[] requests = [];
    private DateTime now;

    [GlobalSetup]
    public void Setup()
    {
        now = new DateTime(2026, 6, 1, 12, 0, 0, DateTimeKind.Utc);
        prototype = WithHistory(recent: 1);
        full = WithHistory(recent: 3);
        requests = Enumerable.Range(0, Operations)
            .Select(i => new SendRequest($"campaign-{i % 8}", $"occurrence-{i}", MessageCategory.Marketing, MessagePriority.Normal)
            {
                CampaignLimit = 1,
                CampaignWindow = TimeSpan.FromDays(1),
                DueAt = now,
            })
            .ToArray();
    }

    private UserProfileState WithHistory(int recent)
    {
        var state = new UserProfileState { CreatedAt = now.AddDays(-120), TimeZone = "Europe/Berlin" };
        state.Subscriptions.Marketing = true;
        state.Devices.Add(new PushDevice { Token = new string('a', 64), Platform = PushPlatform.Ios, RegisteredAt = now.AddDays(-100), LastSeenAt = now.AddDays(-1) });
        for (int i = 40; i > recent; i--) state.Sends.Add(new SendRecord($"old-{i % 8}", $"o{i}", MessageCategory.Marketing, now.AddDays(-2 * i), $"n{i}"), now.AddDays(-2 * i));
        for (int i = recent; i > 0; i--) state.Sends.Add(new SendRecord($"recent-{i}", $"r{i}", MessageCategory.Marketing, now.AddHours(-3 * i), $"r{i}"), now.AddHours(-3 * i));
        return state;
    }

    [IterationSetup(Target = nameof(Allowed))]
    public void CopyProfiles()
    {
        copies = new UserProfileState[Operations];
        for (int i = 0; i < Operations; i++) copies[i] = Profiles.Copier.Copy(prototype);
    }

    [Benchmark(OperationsPerInvoke = Operations, Description = "Cap decision, allowed and reserved")]
    [InvocationCount(1, 1)]
    public int Allowed()
    {
        int sent = 0;
        for (int i = 0; i < Operations; i++)
        {
            if (SendDecider.Decide(copies[i], requests[i], now, policy.Caps, policy.QuietHours, "n").Verdict == SendVerdict.Send) sent++;
        }

        return sent;
    }

    [Benchmark(OperationsPerInvoke = Operations, Description = "Cap decision, refused by the 24-hour cap")]
    public int Capped()
    {
        int refused = 0;
        for (int i = 0; i < Operations; i++)
        {
            if (SendDecider.Decide(full, requests[i], now, policy.Caps, policy.QuietHours, "n").Verdict == SendVerdict.Suppressed) refused++;
        }

        return refused;
    }
}
