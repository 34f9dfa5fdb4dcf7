using Microsoft.Extensions.DependencyInjection;
using Orleans.Segments.Domain.Campaigns;
using Orleans.Segments.Domain.Profile;
using Orleans.Segments.Hosting;
using Orleans.Serialization;
using Orleans.Storage;

namespace Orleans.Segments.Grains.Tests;

/// <summary>The embedded default's storage: serialized copies, and ETags checked like a real provider's.</summary>
public sealed class ProcessGrainStorageTests
{
    private static readonly GrainId Grain = GrainId.Create("user", "shop/u/ada");

    private readonly ProcessGrainStorage storage = new(new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>());

    [Fact]
    public async Task A_record_that_cannot_be_read_fails_that_read_with_the_reason_and_is_left_as_it_is()
    {
        // Why: a record of another shape under the profile's name stands for corrupt bytes or a newer version's format.
        await storage.WriteStateAsync("profile", Grain, new GrainState<string>("not a profile"));

        var read = new GrainState<UserProfileState>(new UserProfileState());
        var refused = await Assert.ThrowsAsync<UnreadableStateException>(() => storage.ReadStateAsync("profile", Grain, read));
        Assert.Equal(nameof(UserProfileState), refused.StateType);
        Assert.Contains("left untouched", refused.Message);

        var again = new GrainState<string>(null!);
        await storage.ReadStateAsync("profile", Grain, again);
        Assert.Equal("not a profile", again.State);
    }

    [Theory]
    [InlineData(new byte[] { 0xff, 0xfe, 0x00, 0x13, 0x37 })]
    [InlineData(new byte[] { })]
    public void Bytes_Redis_or_Azure_hold_that_cannot_be_read_fail_with_the_reason(byte[] stored)
    {
        var serializer = new SegmentsStorageSerializer(new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>());

        var refused = Assert.Throws<UnreadableStateException>(() => serializer.Deserialize<UserProfileState>(new BinaryData(stored)));

        Assert.Equal(nameof(UserProfileState), refused.StateType);
        Assert.NotNull(refused.InnerException);
    }

    [Fact]
    public async Task A_missing_record_reads_as_not_existing()
    {
        var state = new GrainState<UserProfileState>(new UserProfileState());
        await storage.ReadStateAsync("profile", Grain, state);
        Assert.False(state.RecordExists);
        Assert.Null(state.ETag);
    }

    [Fact]
    public async Task What_is_read_back_is_a_copy_of_what_was_written()
    {
        var written = new GrainState<UserProfileState>(new UserProfileState { CreatedAt = DateTime.UnixEpoch, TimeZone = "Europe/Berlin" });
        await storage.WriteStateAsync("profile", Grain, written);
        written.State!.TimeZone = "changed after the write";

        var read = new GrainState<UserProfileState>(new UserProfileState());
        await storage.ReadStateAsync("profile", Grain, read);
        Assert.True(read.RecordExists);
        Assert.Equal("Europe/Berlin", read.State!.TimeZone);
        Assert.Equal(written.ETag, read.ETag);
        Assert.NotSame(written.State, read.State);
    }

    [Fact]
    public async Task States_that_grow_and_shrink_read_back_exactly()
    {
        var state = new GrainState<UserProfileState>(new UserProfileState { CreatedAt = DateTime.UnixEpoch });
        foreach (int length in new[] { 10, 5_000, 5_100, 20, 100_000, 3 })
        {
            state.State!.TimeZone = new string('z', length);
            await storage.WriteStateAsync("profile", Grain, state);

            var read = new GrainState<UserProfileState>(new UserProfileState());
            await storage.ReadStateAsync("profile", Grain, read);
            Assert.Equal(length, read.State!.TimeZone!.Length);
        }
    }

    [Fact]
    public async Task A_users_campaign_history_reads_back_equal()
    {
        var at = new DateTime(2026, 3, 2, 9, 0, 0, DateTimeKind.Utc);
        var state = new UserProfileState { CreatedAt = at };
        for (int i = 0; i < 120; i++)
        {
            // Why: the same campaign id and variant strings recur across entries, as they do in a live profile.
            string campaign = $"c{i % 3}", occurrence = $"o{i}", id = $"n_{i}";
            state.Sends.Add(new SendRecord(campaign, occurrence, MessageCategory.Marketing, at.AddMinutes(i), id), at.AddMinutes(i));
            state.Messages.Add(new MessageLogEntry(id, campaign, occurrence, MessageStatus.Delivered, SuppressionReason.None, "accepted for 1 of 1 device(s)", at.AddMinutes(i)) { Variant = "a" });
            state.Exposures.Add(new Exposure { CampaignId = campaign, Variant = "a", NotificationId = id, At = at.AddMinutes(i), Opened = i % 2 == 0 });
        }

        state.PendingSends.Add(new PendingSend("c1", "o999", at.AddHours(9), at) { Targeted = true, Variant = "a", ProviderRetries = 2 });
        state.PendingReports.Add(new CampaignReport("c1", "a", ReportKind.Sent, null));

        await storage.WriteStateAsync("profile", Grain, new GrainState<UserProfileState>(state));
        var read = new GrainState<UserProfileState>(new UserProfileState());
        await storage.ReadStateAsync("profile", Grain, read);

        Assert.Equal(state.Sends.Sent, read.State!.Sends.Sent);
        Assert.Equal(state.Messages, read.State.Messages);
        Assert.Equal(state.Exposures.Select(e => (e.CampaignId, e.Variant, e.NotificationId, e.At, e.Opened)), read.State.Exposures.Select(e => (e.CampaignId, e.Variant, e.NotificationId, e.At, e.Opened)));
        Assert.Equal(state.PendingSends, read.State.PendingSends);
        Assert.Equal(state.PendingReports, read.State.PendingReports);
    }

    [Fact]
    public async Task A_write_with_a_stale_etag_fails_and_keeps_the_newer_state()
    {
        var first = new GrainState<UserProfileState>(new UserProfileState { CreatedAt = DateTime.UnixEpoch, TimeZone = "Asia/Tokyo" });
        await storage.WriteStateAsync("profile", Grain, first);
        var second = new GrainState<UserProfileState>(new UserProfileState());
        await storage.ReadStateAsync("profile", Grain, second);

        second.State!.TimeZone = "America/New_York";
        await storage.WriteStateAsync("profile", Grain, second);
        first.State!.TimeZone = "Europe/Paris";
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("profile", Grain, first));

        var read = new GrainState<UserProfileState>(new UserProfileState());
        await storage.ReadStateAsync("profile", Grain, read);
        Assert.Equal("America/New_York", read.State!.TimeZone);
    }

    [Fact]
    public async Task Of_writers_racing_from_the_same_version_exactly_one_wins()
    {
        var start = new GrainState<UserProfileState>(new UserProfileState { CreatedAt = DateTime.UnixEpoch });
        await storage.WriteStateAsync("profile", Grain, start);
        var writers = Enumerable.Range(0, 32).Select(i => new GrainState<UserProfileState>(new UserProfileState { CreatedAt = DateTime.UnixEpoch, TimeZone = $"writer {i}" }) { ETag = start.ETag }).ToList();

        var outcomes = await Task.WhenAll(writers.Select(w => Task.Run(async () =>
        {
            try
            {
                await storage.WriteStateAsync("profile", Grain, w);
                return true;
            }
            catch (InconsistentStateException)
            {
                return false;
            }
        })));

        var winner = writers[Array.IndexOf(outcomes, true)];
        var read = new GrainState<UserProfileState>(new UserProfileState());
        await storage.ReadStateAsync("profile", Grain, read);
        Assert.Equal(1, outcomes.Count(won => won));
        Assert.Equal(winner.State!.TimeZone, read.State!.TimeZone);
        Assert.Equal(winner.ETag, read.ETag);
    }

    [Fact]
    public async Task A_first_write_fails_when_another_writer_created_the_record()
    {
        await storage.WriteStateAsync("profile", Grain, new GrainState<UserProfileState>(new UserProfileState { CreatedAt = DateTime.UnixEpoch }));
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("profile", Grain, new GrainState<UserProfileState>(new UserProfileState())));
    }

    [Fact]
    public async Task Clearing_removes_the_record_only_with_the_current_etag()
    {
        var state = new GrainState<UserProfileState>(new UserProfileState { CreatedAt = DateTime.UnixEpoch });
        await storage.WriteStateAsync("profile", Grain, state);
        var stale = new GrainState<UserProfileState>(new UserProfileState()) { ETag = "not-the-stored-one" };
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync("profile", Grain, stale));

        await storage.ClearStateAsync("profile", Grain, state);
        Assert.False(state.RecordExists);
        Assert.Equal(0, storage.Count);
    }

    [Fact]
    public async Task States_of_different_names_and_grains_are_kept_apart()
    {
        await storage.WriteStateAsync("profile", Grain, new GrainState<UserProfileState>(new UserProfileState { TimeZone = "a" }));
        await storage.WriteStateAsync("other", Grain, new GrainState<UserProfileState>(new UserProfileState { TimeZone = "b" }));
        await storage.WriteStateAsync("profile", GrainId.Create("user", "shop/u/bob"), new GrainState<UserProfileState>(new UserProfileState { TimeZone = "c" }));

        var read = new GrainState<UserProfileState>(new UserProfileState());
        await storage.ReadStateAsync("other", Grain, read);
        Assert.Equal("b", read.State!.TimeZone);
        Assert.Equal(3, storage.Count);
    }
}
