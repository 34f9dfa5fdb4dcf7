using Microsoft.Extensions.Time.Testing;
using Orleans.Segments.Domain.Campaigns;
using Orleans.Segments.Domain.Events;
using Orleans.Segments.Domain.Profile;

namespace Orleans.Segments.Domain.Tests.Campaigns;

public sealed class SendDeciderTests
{
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 3, 2, 12, 0, 0, TimeSpan.Zero));
    private readonly QuietHours noQuietHours = new() { Enabled = false };

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    private UserProfileState ReachableUser(bool marketing = true)
    {
        var state = new UserProfileState();
        ProfileUpdater.RegisterDevice(state, new DeviceToken(new string('a', 64), PushPlatform.Ios), Now, UserModelPolicy.Default);
        ProfileUpdater.SetSubscriptions(state, marketing, true, Now);
        return state;
    }

    private SendDecision Send(UserProfileState state, string campaign, MessagePriority priority = MessagePriority.Normal, CapPolicy? caps = null, string? occurrence = null) =>
        SendDecider.Decide(state, new SendRequest(campaign, occurrence ?? Guid.NewGuid().ToString("N"), MessageCategory.Marketing, priority),
            Now, caps ?? CapPolicy.Default, noQuietHours, Guid.NewGuid().ToString("N"));

    private SendDecision Silent(UserProfileState state, CapPolicy caps, QuietHours? quiet = null) =>
        SendDecider.Decide(state, new SendRequest("sync", Guid.NewGuid().ToString("N"), MessageCategory.Silent, MessagePriority.Normal),
            Now, caps, quiet ?? noQuietHours, Guid.NewGuid().ToString("N"));

    [Fact]
    public void ASilentPushNeedsNoConsentIgnoresQuietHoursAndTakesNoMarketingSlotOrGap()
    {
        var state = ReachableUser(marketing: false);
        ProfileUpdater.SetSubscriptions(state, false, false, Now);
        var caps = new CapPolicy { Marketing = [new CapRule { Limit = 1, Window = TimeSpan.FromHours(24) }], MinimumGap = TimeSpan.FromHours(1) };
        var allNight = new QuietHours { Enabled = true, Start = new TimeOnly(0, 0), End = new TimeOnly(23, 59) };

        var first = Silent(state, caps, allNight);
        var second = Silent(state, caps, allNight);
        ProfileUpdater.SetSubscriptions(state, true, true, Now);
        var marketing = Send(state, "promo", caps: caps);

        Assert.Equal(SendVerdict.Send, first.Verdict);
        Assert.Equal(SendVerdict.Send, second.Verdict);
        Assert.Equal(SendVerdict.Send, marketing.Verdict); // neither the cap of 1 nor the hour's gap saw the silent pushes
        Assert.Equal(MessageCategory.Silent, first.Reservation!.Category);
    }

    [Fact]
    public void AnAppMayCountSilentPushesAgainstItsMarketingCapsAndGap()
    {
        var state = ReachableUser();
        var caps = new CapPolicy { Marketing = [new CapRule { Limit = 2, Window = TimeSpan.FromHours(24) }], HighPriorityReserve = 0, SilentCountsAsMarketing = true };

        Assert.Equal(SendVerdict.Send, Silent(state, caps).Verdict);
        Assert.Equal(SendVerdict.Send, Send(state, "promo", caps: caps).Verdict);
        var third = Silent(state, caps);
        var gapped = Silent(ReachableUser(), new CapPolicy { MinimumGap = TimeSpan.FromHours(1), SilentCountsAsMarketing = true });

        Assert.Equal(SuppressionReason.Capped, third.Reason);
        Assert.Contains("2 marketing pushes per 1 day", third.Detail);
        Assert.Equal(SendVerdict.Send, gapped.Verdict);
    }

    [Fact]
    public void ASilentPushStillNeedsALiveDeviceAndKeepsItsCampaignCap()
    {
        Assert.Equal(SuppressionReason.NoDevice, Silent(new UserProfileState(), CapPolicy.Default).Reason);

        var state = ReachableUser();
        var request = new SendRequest("sync", "o1", MessageCategory.Silent, MessagePriority.Normal) { CampaignLimit = 1 };
        Assert.Equal(SendVerdict.Send, SendDecider.Decide(state, request, Now, CapPolicy.Default, noQuietHours, "n1").Verdict);
        var again = SendDecider.Decide(state, request with { Occurrence = "o2" }, Now, CapPolicy.Default, noQuietHours, "n2");
        Assert.Equal(SuppressionReason.Capped, again.Reason);
    }

    [Fact]
    public void SkipsUserAlreadyAtDailyCap()
    {
        var state = ReachableUser();
        var caps = new CapPolicy { Marketing = [new CapRule { Limit = 2, Window = TimeSpan.FromHours(24) }], HighPriorityReserve = 0 };

        Assert.Equal(SendVerdict.Send, Send(state, "a", caps: caps).Verdict);
        Assert.Equal(SendVerdict.Send, Send(state, "b", caps: caps).Verdict);
        var third = Send(state, "c", caps: caps);

        Assert.Equal(SuppressionReason.Capped, third.Reason);
        Assert.Contains("2 marketing pushes per 1 day", third.Detail);
    }

    [Fact]
    public void AReleasedReservationFreesItsSlotAndLetsTheSameOccurrenceBeDecidedAgain()
    {
        var state = ReachableUser();
        var caps = new CapPolicy { Marketing = [new CapRule { Limit = 1, Window = TimeSpan.FromHours(24) }], HighPriorityReserve = 0 };
        Assert.Equal(SendVerdict.Send, Send(state, "a", caps: caps, occurrence: "o1").Verdict);
        Assert.Equal(SendVerdict.Duplicate, Send(state, "a", caps: caps, occurrence: "o1").Verdict);

        Assert.True(state.Sends.Release("a", "o1"));

        Assert.False(state.Sends.Release("a", "o1"));
        Assert.Equal(0, state.Sends.CountEver("a"));
        Assert.Equal(SendVerdict.Send, Send(state, "a", caps: caps, occurrence: "o1").Verdict);
        Assert.Equal(1, state.Sends.CountEver("a"));
    }

    [Theory]
    [InlineData(1, null, 1)]
    [InlineData(2, null, 4)]
    [InlineData(3, null, 16)]
    [InlineData(1, 5, 5)]
    [InlineData(3, 5, 16)]
    public void ProviderRetriesBackOffFourfoldOrWaitWhatTheProviderAsks(int retry, int? askedMinutes, int expectedMinutes)
    {
        var policy = new CampaignPolicy();
        var asked = askedMinutes is { } m ? TimeSpan.FromMinutes(m) : (TimeSpan?)null;

        Assert.Equal(TimeSpan.FromMinutes(expectedMinutes), policy.ProviderRetryAfter(retry, asked));
    }

    [Fact]
    public void SlotFreesWhenTheOldestPushLeavesTheRollingWindow()
    {
        var state = ReachableUser();
        var caps = new CapPolicy { Marketing = [new CapRule { Limit = 1, Window = TimeSpan.FromHours(24) }] };
        Send(state, "a", caps: caps);

        time.Advance(TimeSpan.FromHours(23));
        Assert.Equal(SendVerdict.Suppressed, Send(state, "b", caps: caps).Verdict);
        time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(SendVerdict.Send, Send(state, "b", caps: caps).Verdict);
    }

    [Fact]
    public void LastSlotGoesToTheHighPriorityMessage()
    {
        var state = ReachableUser();
        var caps = new CapPolicy { Marketing = [new CapRule { Limit = 3, Window = TimeSpan.FromHours(24) }], HighPriorityReserve = 1 };
        Send(state, "a", caps: caps);
        Send(state, "b", caps: caps);

        var normal = Send(state, "c", MessagePriority.Normal, caps);
        var high = Send(state, "d", MessagePriority.High, caps);
        var anotherHigh = Send(state, "e", MessagePriority.High, caps);

        Assert.Equal(SendVerdict.Suppressed, normal.Verdict);
        Assert.Contains("kept for high-priority", normal.Detail);
        Assert.Equal(SendVerdict.Send, high.Verdict);
        Assert.Equal(SendVerdict.Suppressed, anotherHigh.Verdict);
    }

    [Fact]
    public void SameOccurrenceIsReservedOnce()
    {
        var state = ReachableUser();

        Assert.Equal(SendVerdict.Send, Send(state, "a", occurrence: "2026-03-02").Verdict);
        Assert.Equal(SendVerdict.Duplicate, Send(state, "a", occurrence: "2026-03-02").Verdict);
        Assert.Single(state.Sends.Sent);
    }

    [Fact]
    public void MarketingNeedsMarketingConsentAndADevice()
    {
        Assert.Equal(SuppressionReason.NoConsent, Send(ReachableUser(marketing: false), "a").Reason);
        Assert.Equal(SuppressionReason.NoDevice, Send(new UserProfileState { Subscriptions = { Marketing = true } }, "a").Reason);
    }

    [Fact]
    public void CampaignOnceEverRuleHoldsAcrossOccurrences()
    {
        var state = ReachableUser();
        var request = new SendRequest("welcome", "1", MessageCategory.Marketing, MessagePriority.Normal) { CampaignLimit = 1 };
        SendDecider.Decide(state, request, Now, CapPolicy.Default, noQuietHours, "n1");

        time.Advance(TimeSpan.FromDays(80));
        var again = SendDecider.Decide(state, request with { Occurrence = "2" }, Now, CapPolicy.Default, noQuietHours, "n2");

        Assert.Equal(SuppressionReason.Capped, again.Reason);
        Assert.Equal("campaign cap: once ever", again.Detail);
    }

    [Fact]
    public void CampaignCapOfTwoEverAllowsTwoPushesAcrossOccurrencesAndMonths()
    {
        var state = ReachableUser();
        var request = new SendRequest("tips", "1", MessageCategory.Marketing, MessagePriority.Normal) { CampaignLimit = 2 };
        var first = SendDecider.Decide(state, request, Now, CapPolicy.Default, noQuietHours, "n1");

        // Why 100 days: past the ledger's 90, so the second push prunes the first and only the count remembers it.
        time.Advance(TimeSpan.FromDays(100));
        var second = SendDecider.Decide(state, request with { Occurrence = "2" }, Now, CapPolicy.Default, noQuietHours, "n2");
        time.Advance(TimeSpan.FromDays(100));
        var third = SendDecider.Decide(state, request with { Occurrence = "3" }, Now, CapPolicy.Default, noQuietHours, "n3");

        Assert.Equal(SendVerdict.Send, first.Verdict);
        Assert.Equal(SendVerdict.Send, second.Verdict);
        Assert.Equal(SuppressionReason.Capped, third.Reason);
        Assert.Equal("campaign cap: 2 ever", third.Detail);
    }

    [Fact]
    public void LedgerSavedBeforeEverCountsStillKnowsTheCampaignWasReceived()
    {
        var ledger = new SendLedger { EverReceived = { "welcome" } };

        Assert.Equal(1, ledger.CountEver("welcome"));
        Assert.Equal(0, ledger.CountEver("tips"));
    }

    [Fact]
    public void TransactionalIgnoresMarketingCapsButNeedsItsConsent()
    {
        var state = ReachableUser();
        var caps = new CapPolicy { Marketing = [new CapRule { Limit = 1, Window = TimeSpan.FromDays(1) }] };
        Send(state, "promo", caps: caps);

        var order = SendDecider.Decide(state, new SendRequest("tx", "order-1", MessageCategory.Transactional, MessagePriority.High), Now, caps, new QuietHours(), "n");
        ProfileUpdater.SetSubscriptions(state, null, false, Now);
        var refused = SendDecider.Decide(state, new SendRequest("tx", "order-2", MessageCategory.Transactional, MessagePriority.High), Now, caps, new QuietHours(), "n");

        Assert.Equal(SendVerdict.Send, order.Verdict);
        Assert.Equal(SuppressionReason.NoConsent, refused.Reason);
    }

    [Fact]
    public void QuietHoursHoldTheMessageUntilMorningInTheUsersZone()
    {
        var state = ReachableUser();
        state.TimeZone = "Europe/Berlin"; // 12:00 UTC on 2 March is 13:00 in Berlin; move to 23:30 Berlin.
        time.Advance(TimeSpan.FromHours(10.5));

        var decision = SendDecider.Decide(state, new SendRequest("c", "1", MessageCategory.Marketing, MessagePriority.Normal) { DueAt = Now },
            Now, CapPolicy.Default, new QuietHours(), "n");

        Assert.Equal(SendVerdict.Deferred, decision.Verdict);
        Assert.Equal(new DateTime(2026, 3, 3, 7, 0, 0, DateTimeKind.Utc), decision.DeferUntil);
    }

    [Fact]
    public void StaleMessageIsDroppedRatherThanHeld()
    {
        var state = ReachableUser();
        time.Advance(TimeSpan.FromHours(11)); // 23:00 UTC, quiet until 08:00 UTC.

        var decision = SendDecider.Decide(state, new SendRequest("c", "1", MessageCategory.Marketing, MessagePriority.Normal) { DueAt = Now, TimeToLive = TimeSpan.FromHours(2) },
            Now, CapPolicy.Default, new QuietHours(), "n");

        Assert.Equal(SuppressionReason.QuietHours, decision.Reason);
        Assert.Equal(SendVerdict.Suppressed, decision.Verdict);
    }

    [Fact]
    public void CapsThatContradictThemselvesAreRejected()
    {
        var caps = new CapPolicy { Marketing = [new CapRule { Limit = 5, Window = TimeSpan.FromDays(1) }, new CapRule { Limit = 3, Window = TimeSpan.FromDays(7) }] };

        Assert.Contains("longer window cannot allow fewer", caps.Validate());
    }
}
