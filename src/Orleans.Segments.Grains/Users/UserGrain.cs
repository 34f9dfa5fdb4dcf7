using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Segments.Domain.Events;
using Orleans.Segments.Domain.Lifecycle;
using Orleans.Segments.Domain.Profile;
using Orleans.Segments.Hosting;
using Orleans.Segments.Wakeups;

namespace Orleans.Segments.Users;

/// <summary>
/// One end user of one app. Not reentrant: every call is one turn that loads the profile, asks the domain what
/// changes, persists, and only then answers, so an acknowledged event is durable and caps and consents are
/// race-free by construction.
/// </summary>
public sealed partial class UserGrain(
    [PersistentState("profile", SegmentsStorage.Name)] IPersistentState<UserProfileState> profile,
    TimeProvider time,
    IOptionsMonitor<SegmentsOptions> options,
    ILogger<UserGrain> logger) : Grain, IUserGrain
{
    private UserKey Key => UserKey.Parse(this.GetPrimaryKeyString());

    private UserModelPolicy Policy => options.CurrentValue.PolicyFor(Key.AppId);

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    async Task<IngestReceipt> IUserGrain.Ingest(UserEvent[] events)
    {
        if (profile.State.MergedInto is { } mergedInto)
        {
            return await GrainFactory.GetGrain<IUserGrain>(mergedInto).Ingest(events);
        }

        var now = Now;
        var state = profile.State;
        var newAnonymousIds = NewAnonymousIds(state, events);
        var result = ProfileUpdater.Apply(state, events, now, Policy);
        if (result.Applied == 0 && result.Transitions.Count == 0)
        {
            return new IngestReceipt(0, result.Duplicates, state.Lifecycle.Stage?.ToWire());
        }

        var adopted = newAnonymousIds is null ? [] : await AdoptAnonymousProfiles(newAnonymousIds, now);
        await BookWakeup(now);
        await Persist();
        foreach (var anonymous in adopted) await anonymous.CompleteHandOver(this.GetPrimaryKeyString());
        LogTransitions(result.Transitions);
        return new IngestReceipt(result.Applied, result.Duplicates, state.Lifecycle.Stage?.ToWire());
    }

    Task<UserProfileView?> IUserGrain.GetProfile()
    {
        if (!profile.State.Exists || profile.State.MergedInto is not null) return Task.FromResult<UserProfileView?>(null);
        return Task.FromResult<UserProfileView?>(ProfileViews.From(Key, profile.State, Now, Policy));
    }

    async Task<DeviceView> IUserGrain.RegisterDevice(DeviceToken device)
    {
        var now = Now;
        ProfileUpdater.RegisterDevice(profile.State, device, now, Policy);
        await Persist();
        return ProfileViews.From(profile.State.Devices.Find(d => d.Token == device.Token)!);
    }

    async Task<bool> IUserGrain.RemoveDevice(string token)
    {
        if (!ProfileUpdater.RemoveDevice(profile.State, token)) return false;
        await Persist();
        return true;
    }

    async Task<SubscriptionsView> IUserGrain.SetSubscriptions(bool? marketing, bool? transactional)
    {
        ProfileUpdater.SetSubscriptions(profile.State, marketing, transactional, Now);
        await Persist();
        return ProfileViews.From(profile.State.Subscriptions);
    }

    async Task<bool> IUserGrain.Erase()
    {
        bool existed = profile.State.Exists;
        var key = Key;
        foreach (string anonymousId in profile.State.AnonymousIds)
        {
            await GrainFactory.GetGrain<IUserGrain>(UserKey.AnonymousOf(key.AppId, anonymousId).GrainKey).Erase();
        }

        await profile.ClearStateAsync();
        profile.State = new UserProfileState();
        LogErased(key.AppId);
        DeactivateOnIdle();
        return existed;
    }

    async Task IUserGrain.Wake()
    {
        var state = profile.State;
        if (!state.Exists || state.MergedInto is not null) return;

        var now = Now;
        if (state.WakeBookedFor is { } booked && booked <= now) state.WakeBookedFor = null;
        var transitions = ProfileUpdater.Advance(state, now, Policy);
        await BookWakeup(now);
        await Persist();
        LogTransitions(transitions);
    }

    Task<ProfileHandOver?> IUserGrain.HandOver(string target) =>
        Task.FromResult(profile.State.MergedInto is not null || !profile.State.Exists ? null : new ProfileHandOver(profile.State));

    async Task IUserGrain.CompleteHandOver(string target)
    {
        if (profile.State.MergedInto == target) return;

        // Why: keep only the forwarding address, so the anonymous id's later events reach the known user.
        // An event that arrived between the copy and this call is dropped with the profile: the window is
        // one round trip, and the alternative (keeping both) would count the merged events twice.
        profile.State = new UserProfileState { CreatedAt = profile.State.CreatedAt, MergedInto = target };
        await Persist();
    }

    /// <summary>Anonymous ids sent beside this user's id that the profile does not know yet, or null.</summary>
    private HashSet<string>? NewAnonymousIds(UserProfileState state, UserEvent[] events)
    {
        var key = Key;
        if (key.User.Anonymous) return null;
        HashSet<string>? ids = null;
        foreach (var e in events)
        {
            if (e.AnonymousId is { } id && id != key.User.Id && !state.AnonymousIds.Contains(id)) (ids ??= []).Add(id);
        }

        return ids;
    }

    /// <summary>Merges the anonymous profiles of <paramref name="anonymousIds"/>; returns the grains to complete.</summary>
    private async Task<List<IUserGrain>> AdoptAnonymousProfiles(HashSet<string> anonymousIds, DateTime now)
    {
        var adopted = new List<IUserGrain>();
        var key = Key;
        foreach (string anonymousId in anonymousIds)
        {
            var anonymous = GrainFactory.GetGrain<IUserGrain>(UserKey.AnonymousOf(key.AppId, anonymousId).GrainKey);
            if (await anonymous.HandOver(key.GrainKey) is { } handOver)
            {
                ProfileMerger.Merge(profile.State, handOver.State, now, Policy);
                adopted.Add(anonymous);
                LogMerged(key.AppId, handOver.State.EventsApplied);
            }
        }

        return adopted;
    }

    /// <summary>
    /// Books a wake-up for the next time-driven change. An earlier booking is kept: when it fires, the grain
    /// finds nothing due yet and books again, which costs one wake instead of a booking per event.
    /// </summary>
    private async Task BookWakeup(DateTime now)
    {
        var state = profile.State;
        if (ProfileUpdater.NextTimeDrivenChange(state, now, Policy) is not { } next) return;
        if (state.WakeBookedFor is { } booked && booked > now && booked <= next) return;

        var wakeups = options.CurrentValue.Wakeups;
        var schedule = wakeups.Schedule;
        string key = this.GetPrimaryKeyString();
        long bucket = schedule.BucketOf(next);
        for (int attempt = 0; attempt < 8; attempt++, bucket++)
        {
            var grain = GrainFactory.GetGrain<IWakeupBucketGrain>(WakeupSchedule.BucketKey(bucket, schedule.ShardOf(key)));
            if (await grain.Book(key, next))
            {
                state.WakeBookedFor = next;
                return;
            }
        }

        LogWakeupNotBooked(next);
    }

    /// <summary>
    /// Persists the profile, or, if storage fails, throws with the in-memory profile rolled back to what is
    /// stored, so that nothing unpersisted is ever acknowledged later (for example as a "duplicate" retry).
    /// </summary>
    private async Task Persist()
    {
        try
        {
            await profile.WriteStateAsync();
        }
        catch (Exception writeFailure)
        {
            LogPersistFailed(writeFailure);
            try
            {
                // Why: a fresh object first, because reading a record that was never written leaves State as is.
                profile.State = new UserProfileState();
                await profile.ReadStateAsync();
            }
            catch
            {
                // Why: the stored state could not be re-read either; a fresh activation will read it.
                DeactivateOnIdle();
            }

            throw;
        }
    }

    private void LogTransitions(IReadOnlyList<LifecycleTransition> transitions)
    {
        foreach (var t in transitions)
        {
            LogStageChanged(Key.AppId, t.From?.ToWire() ?? "none", t.To.ToWire(), t.At);
        }
    }

    Task<DeviceToken[]> IUserGrain.GetLiveDevices() =>
        Task.FromResult(profile.State.Devices.Where(d => d.IsLive).Select(d => new DeviceToken(d.Token, d.Platform)).ToArray());

    async Task IUserGrain.InvalidateDevice(string token, DateTime invalidatedAt)
    {
        if (!ProfileUpdater.InvalidateDevice(profile.State, token, invalidatedAt)) return;
        await Persist();
        LogDeviceInvalidated(Key.AppId, DeviceToken.Fingerprint(token), invalidatedAt);
    }
}
