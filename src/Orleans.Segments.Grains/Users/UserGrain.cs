using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Segments.Domain.Events;
using Orleans.Segments.Domain.Lifecycle;
using Orleans.Segments.Domain.Profile;
using Orleans.Segments.Domain.Segments;
using Orleans.Segments.Hosting;
using Orleans.Segments.Segments;
using Orleans.Segments.Wakeups;
using Orleans.Storage;

namespace Orleans.Segments.Users;

/// <summary>
/// One end user of one app. Not reentrant: every call is one turn that loads the profile, asks the domain what
/// changes, persists, and only then answers, so an acknowledged event is durable and caps and consents are
/// race-free by construction. Side effects that must follow a change (the membership index) go through an
/// outbox persisted with the profile.
/// </summary>
public sealed partial class UserGrain(
    [PersistentState("profile", SegmentsStorage.Name)] IPersistentState<UserProfileState> profile,
    AppModelCache models,
    Campaigns.CampaignCache campaignCache,
    Journeys.JourneyCache journeyCache,
    Webhooks.WebhookCache webhookCache,
    Webhooks.WebhookHandOver webhookHandOver,
    Push.PushSenders senders,
    Campaigns.TemplateBudget templateBudget,
    TimeProvider time,
    IOptionsMonitor<SegmentsOptions> options,
    SegmentsMetrics metrics,
    ILogger<UserGrain> logger) : Grain, IUserGrain, IIncomingGrainCallFilter
{
    private readonly Push.PushSenders push = senders;

    /// <summary>
    /// True when a write failed and the stored profile could not be re-read either: what is in memory may be
    /// neither what was stored nor what was decided, so no call may run on it until it is re-read.
    /// </summary>
    private bool stateUnknown;

    private UserKey? parsedKey;

    // Why: parsed once per activation; the per-event path asks for it several times.
    private UserKey Key => parsedKey ??= UserKey.Parse(this.GetPrimaryKeyString());

    private UserModelPolicy Policy => options.CurrentValue.PolicyFor(Key.AppId);

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    async Task IIncomingGrainCallFilter.Invoke(IIncomingGrainCallContext context)
    {
        if (stateUnknown)
        {
            await Reload();
            stateUnknown = false;
        }

        exportRoutes = await webhookCache.GetAsync(Key.AppId);
        await context.Invoke();

        // Why: after the call's writes, so what is handed over was decided and stored (or, for a push's outcome
        // recorded without a write, happened); events of a write that failed were dropped with the reload.
        if (profile.State.PendingExports.Count > 0 && !stateUnknown) await DeliverExports();
    }

    async Task<IngestReceipt> IUserGrain.Ingest(UserEvent[] events)
    {
        try
        {
            return await IngestOnce(events);
        }
        catch (InconsistentStateException)
        {
            // Why: another activation of this user wrote first (a silo was declared dead while still running, or
            // a write's answer was lost). The profile was re-read; deciding again on it keeps both writes, and
            // the message-id window drops whatever of these events the other activation already applied.
            LogConflict(Key.AppId);
            return await IngestOnce(events);
        }
    }

    private async Task<IngestReceipt> IngestOnce(UserEvent[] events)
    {
        if (profile.State.MergedInto is { } mergedInto)
        {
            return await GrainFactory.GetGrain<IUserGrain>(mergedInto).Ingest(events);
        }

        var now = Now;
        var state = profile.State;
        var environment = await Environment();
        var newAnonymousIds = NewAnonymousIds(state, events);
        var result = ProfileUpdater.Apply(state, events, now, Policy, environment);
        if (!result.Changed)
        {
            await DeliverOutbox();
            return new IngestReceipt(0, result.Duplicates, state.Lifecycle.Stage?.ToWire());
        }

        var adopted = newAnonymousIds is null ? [] : await AdoptAnonymousProfiles(newAnonymousIds, now, environment);
        await Commit(result, now, environment);
        foreach (var anonymous in adopted) await anonymous.CompleteHandOver(this.GetPrimaryKeyString());
        return new IngestReceipt(result.Applied, result.Duplicates, state.Lifecycle.Stage?.ToWire());
    }

    async Task<UserProfileView?> IUserGrain.GetProfile()
    {
        var state = profile.State;
        if (!state.Exists || state.MergedInto is not null) return null;

        // Why: a change may have fallen due since the last wake; the profile shown is the one at this moment.
        if (state.WakeBookedFor is { } due && due <= Now) await Wake();
        return ProfileViews.From(Key, state, Now, Policy);
    }

    async Task<DeviceView> IUserGrain.RegisterDevice(DeviceToken device)
    {
        var now = Now;
        ProfileUpdater.RegisterDevice(profile.State, device, now, Policy);
        await Refresh(now);
        return ProfileViews.From(profile.State.Devices.Find(d => d.Token == device.Token)!);
    }

    async Task<bool> IUserGrain.Import(ImportedUser imported, string messageId)
    {
        var state = profile.State;
        if (state.MergedInto is not null) return false;
        var now = Now;
        bool existed = state.Exists;
        if (imported.FirstSeen is { } first && first <= now)
        {
            // Why: the lifecycle counts a user's age from the first time they were seen, which the import knows better.
            if (state.CreatedAt is null || first < state.CreatedAt) state.CreatedAt = first;
            state.Activity.Record(first);
        }
        foreach (var device in imported.Devices) ProfileUpdater.RegisterDevice(state, device, now, Policy);
        if (imported.Marketing is not null || imported.Transactional is not null) ProfileUpdater.SetSubscriptions(state, imported.Marketing, imported.Transactional, now);
        var at = imported.LastSeen is { } last && last <= now ? last : now;
        var environment = await Environment();
        var result = ProfileUpdater.Apply(state, [new UserEvent(EventKind.Identify, messageId, at) { Traits = imported.Traits }], now, Policy, environment);

        // Why: an import restores users an app already has; its segment entries are not news to push about.
        importing = true;
        try
        {
            await Commit(result, now, environment);
        }
        finally
        {
            importing = false;
        }

        return !existed;
    }

    /// <summary>Remembers a Live Activity of this user, so that erasing the user erases its tokens too.</summary>
    async Task IUserGrain.TrackLiveActivity(string activityId)
    {
        var activities = profile.State.LiveActivities;
        if (!profile.State.Exists || activities.Contains(activityId)) return;
        activities.Add(activityId);
        if (activities.Count > 100) activities.RemoveAt(0);
        await Persist();
    }

    async Task<bool> IUserGrain.RemoveDevice(string token)
    {
        if (!ProfileUpdater.RemoveDevice(profile.State, token)) return false;
        await Refresh(Now);
        return true;
    }

    async Task<SubscriptionsView> IUserGrain.SetSubscriptions(bool? marketing, bool? transactional)
    {
        var now = Now;
        bool wasSubscribed = profile.State.Subscriptions.Marketing;
        ProfileUpdater.SetSubscriptions(profile.State, marketing, transactional, now);
        if (wasSubscribed && !profile.State.Subscriptions.Marketing) RecordOptOut(now);
        await Refresh(now);
        return ProfileViews.From(profile.State.Subscriptions);
    }

    Task<UserProfileState?> IUserGrain.Export() =>
        Task.FromResult(profile.State.Exists && profile.State.MergedInto is null ? profile.State : null);

    async Task<bool> IUserGrain.Erase()
    {
        var state = profile.State;
        bool existed = state.Exists;
        var key = Key;
        foreach (string anonymousId in state.AnonymousIds)
        {
            await GrainFactory.GetGrain<IUserGrain>(UserKey.AnonymousOf(key.AppId, anonymousId).GrainKey).Erase();
        }

        // Why: the index and the directory go first; if one fails, the profile (which names them) is kept and
        // the erasure can be retried, instead of leaving index entries nobody can find again.
        if (!key.User.Anonymous)
        {
            var indexed = state.Segments.Keys.Concat(state.PendingIndex.Select(p => p.Id));
            if (state.IndexedStage is { } stage) indexed = indexed.Append(stage);
            foreach (string segment in indexed.Distinct())
            {
                await Index(key, segment).Apply(key.User.Id, false);
            }

            if (state.DirectoryPage is { } page) await GrainFactory.GetGrain<IUserDirectoryPageGrain>(page).Remove(key.User.Id);
        }

        // Why: an activity's push tokens identify the user's devices; they go with the user.
        foreach (string activityId in state.LiveActivities)
        {
            await GrainFactory.GetGrain<LiveActivities.ILiveActivityGrain>(LiveActivities.LiveActivityGrain.Key(key.AppId, activityId)).Forget(key.User.Id);
        }

        // Why: a journey's counts must not show an erased user at a step forever; they leave it as "erased".
        var now = Now;
        foreach (var run in state.Journeys.Where(r => r.Active).ToList()) Leave(run, "erased", now);
        await DeliverReports();

        // Why: clearing a record that was never written is a version conflict for some providers (Redis).
        if (profile.RecordExists) await profile.ClearStateAsync();
        profile.State = new UserProfileState();
        LogErased(key.AppId);
        DeactivateOnIdle();
        return existed;
    }

    Task IUserGrain.Wake() => Wake();

    async Task IUserGrain.Reevaluate(long minVersion)
    {
        var state = profile.State;
        if (!state.Exists || state.MergedInto is not null) return;
        var now = Now;
        var environment = await Environment(minVersion);
        long versionBefore = state.SegmentsVersion;
        var result = ProfileUpdater.Advance(state, now, Policy, environment);

        // Why: new definitions can bring a time-driven change (since_last(...) > 3d) with no membership change
        // yet; committing books the wake-up for it, which no earlier booking covers.
        if (result.Changed || state.PendingIndex.Count > 0 || state.SegmentsVersion != versionBefore) await Commit(result, now, environment);
    }

    async Task<Explanation?> IUserGrain.Explain(string segmentId)
    {
        var state = profile.State;
        var environment = await Environment();
        if (environment.Segments.Find(segmentId) is not { } segment) return null;
        var now = Now;
        var members = environment.Segments.EvaluateAll(state, now, Policy);
        var context = new RuleContext(state, now, Policy) { InSegment = id => IsMember(environment.Segments, members, id) };
        return RuleInterpreter.Explain(segment.Rule, context);
    }

    async Task<bool> IUserGrain.Matches(string rule)
    {
        var state = profile.State;
        if (!state.Exists || state.MergedInto is not null) return false;
        var parsed = RuleParser.Parse(rule);
        if (!parsed.IsValid) return false;
        var environment = await Environment();
        var now = Now;
        var members = environment.Segments.EvaluateAll(state, now, Policy);
        var context = new RuleContext(state, now, Policy) { InSegment = id => IsMember(environment.Segments, members, id) };
        return RuleInterpreter.Evaluate(parsed.Root!, context);
    }

    private static bool IsMember(SegmentSet segments, bool[] members, string id)
    {
        for (int i = 0; i < segments.Ordered.Count; i++)
        {
            if (segments.Ordered[i].Id == id) return members[i];
        }

        return false;
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

    private async Task Wake()
    {
        var state = profile.State;
        if (!state.Exists || state.MergedInto is not null) return;

        var now = Now;
        if (state.WakeBookedFor is { } booked && booked <= now) state.WakeBookedFor = null;
        var environment = await Environment();
        var result = ProfileUpdater.Advance(state, now, Policy, environment);
        await Commit(result, now, environment);
        await ProcessDueSends();
    }

    private async Task Refresh(DateTime now)
    {
        var environment = await Environment();
        var result = ProfileUpdater.Refresh(profile.State, now, Policy, environment);
        await Commit(result, now, environment);
    }

    /// <summary>The app's compiled definitions, never older than the ones this user was last evaluated with.</summary>
    private ValueTask<ModelEnvironment> Environment(long minVersion = 0) =>
        models.GetAsync(Key.AppId, Math.Max(minVersion, profile.State.SegmentsVersion));

    /// <summary>
    /// Makes a change durable and then performs what must follow it: the user is in the directory, the
    /// outbox holds the membership changes and the campaign sends they trigger, the journeys have moved on, a
    /// wake-up is booked, the profile is persisted, and only then the statistics are handed over, the index is
    /// told, the transitions are published and the due sends are started in a turn of their own.
    /// </summary>
    private async Task Commit(ApplyResult result, DateTime now, ModelEnvironment environment)
    {
        var state = profile.State;
        var key = Key;
        if (!key.User.Anonymous)
        {
            if (state.DirectoryPage is null)
            {
                state.DirectoryPage = await GrainFactory.GetGrain<IUserDirectoryGrain>(
                    UserDirectoryGrain.Key(key.AppId, UserDirectoryGrain.ShardOf(key.User.Id))).Register(key.User.Id);
            }

            state.PendingIndex.AddRange(result.SegmentChanges);
            IndexStage(state, now);
        }

        bool sendsDue = !importing && await CollectTriggers(result, now);
        sendsDue |= !importing && await AdvanceJourneys(result, now);
        RecordEngagement(result.AppliedEvents);
        // Why: an import records what a user already was; streaming it would flood receivers with old news.
        if (!importing) ExportTransitions(result);
        await BookWakeup(now, environment);
        await Persist();

        // Why: the counts a change makes (journey steps, opens, conversions) are handed over once the change is
        // durable: a write that fails is retried, and would count them again. They are in the stored outbox, so a
        // crash before the hand-over loses none; the next write records that they left it.
        if (state.PendingReports.Count > 0)
        {
            await DeliverReports();
            outcomeUnsaved = true;
        }

        await DeliverOutbox();
        await Publish(result);

        // Why: pushing is slow and may fail; the triggering change is acknowledged without waiting for it. The
        // sends are safe in the persisted outbox, and the wake-up booked for them covers a lost self-call.
        if (sendsDue) _ = this.AsReference<IUserGrain>().DeliverPending();
        LogTransitions(result.Transitions);
        foreach (var change in result.SegmentChanges) metrics.SegmentTransition(key.AppId, "segment", change.Entered);
        foreach (var change in result.GeofenceChanges) metrics.SegmentTransition(key.AppId, "geofence", change.Entered);
    }

    /// <summary>
    /// Keeps the user counted under their lifecycle stage: a pseudo-segment <c>stage:&lt;name&gt;</c> per stage, fed
    /// through the same outbox as segments, so stage sizes (and their daily flows) are exact and instant. A user
    /// stored before stages were indexed is counted at its next commit.
    /// </summary>
    private static void IndexStage(UserProfileState state, DateTime now)
    {
        string? stage = state.Lifecycle.Stage is { } current ? StageIndex.Id(current) : null;
        if (stage == state.IndexedStage) return;
        var at = state.Lifecycle.Stage is null ? now : state.Lifecycle.Since;
        if (state.IndexedStage is { } previous) state.PendingIndex.Add(new Domain.Segments.MembershipTransition(previous, false, at));
        if (stage is not null) state.PendingIndex.Add(new Domain.Segments.MembershipTransition(stage, true, at));
        state.IndexedStage = stage;
    }

    /// <summary>Tells the membership index, in order, what the persisted outbox holds; stops at the first failure.</summary>
    private async Task DeliverOutbox()
    {
        var pending = profile.State.PendingIndex;
        if (pending.Count == 0) return;
        var key = Key;
        int delivered = 0;
        try
        {
            foreach (var change in pending)
            {
                await Index(key, change.Id).Record(key.User.Id, change.Entered, change.At);
                delivered++;
            }
        }
        catch (Exception ex)
        {
            LogIndexDeliveryFailed(key.AppId, ex);
        }

        // Why: delivered entries leave the outbox in memory; the next write persists that. Delivering one
        // twice (after a crash before that write) is harmless: the index applies set semantics in order.
        pending.RemoveRange(0, delivered);
    }

    private ISegmentIndexGrain Index(UserKey key, string segmentId) =>
        GrainFactory.GetGrain<ISegmentIndexGrain>(SegmentIndexGrain.Key(key.AppId, segmentId, SegmentIndexGrain.ShardOf(key.User.Id)));

    /// <summary>Publishes transitions on the app's stream; best effort, since nothing must depend on it alone.</summary>
    private async Task Publish(ApplyResult result)
    {
        if (result.SegmentChanges.Count == 0 && result.GeofenceChanges.Count == 0) return;
        try
        {
            var key = Key;
            var stream = this.GetStreamProvider(SegmentsStreams.Provider).GetStream<SegmentTransitionEvent>(StreamId.Create(SegmentsStreams.Transitions, key.AppId));
            var events = result.SegmentChanges.Select(c => new SegmentTransitionEvent(key.User.Id, "segment", c.Id, c.Entered, c.At))
                .Concat(result.GeofenceChanges.Select(c => new SegmentTransitionEvent(key.User.Id, "geofence", c.Id, c.Entered, c.At)))
                .ToList();
            await stream.OnNextBatchAsync(events);
        }
        catch (Exception ex)
        {
            LogPublishFailed(ex);
        }
    }

    /// <summary>
    /// Persists the profile, or, if storage fails, throws with the in-memory profile rolled back to what is
    /// stored, so that nothing unpersisted is ever acknowledged later (for example as a "duplicate" retry).
    /// A version conflict (<see cref="InconsistentStateException"/>) is never overwritten: the profile is
    /// re-read and the caller decides again on it, or fails.
    /// </summary>
    private async Task Persist()
    {
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            await profile.WriteStateAsync();
            outcomeUnsaved = false;
            deliveredSinceWrite.Clear();
            metrics.PersistDuration(System.Diagnostics.Stopwatch.GetElapsedTime(started), succeeded: true);
        }
        catch (Exception writeFailure)
        {
            metrics.PersistDuration(System.Diagnostics.Stopwatch.GetElapsedTime(started), succeeded: false);
            LogPersistFailed(writeFailure.GetType().Name, writeFailure);
            try
            {
                await Reload();
            }
            catch
            {
                // Why: the stored state could not be re-read either (storage is down, or the write may still land).
                // Until a read succeeds, no call may decide on what is in memory.
                stateUnknown = true;
                DeactivateOnIdle();
            }

            throw;
        }
    }

    private async Task Reload()
    {
        // Why: a fresh object first, because reading a record that was never written leaves State as is.
        profile.State = new UserProfileState();
        await profile.ReadStateAsync();
        ForgetDeliveredReports();

        // Why: no hand-over is in flight between turns, so a "sending" entry read back was interrupted.
        recovered = false;
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
    private async Task<List<IUserGrain>> AdoptAnonymousProfiles(HashSet<string> anonymousIds, DateTime now, ModelEnvironment environment)
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

        if (adopted.Count > 0)
        {
            // The merged history may change memberships: evaluate once more with it.
            var refreshed = ProfileUpdater.Refresh(profile.State, now, Policy, environment);
            profile.State.PendingIndex.AddRange(refreshed.SegmentChanges);
        }

        return adopted;
    }

    /// <summary>
    /// Books a wake-up for the next time-driven change. An earlier booking is kept: when it fires, the grain
    /// finds nothing due yet and books again, which costs one wake instead of a booking per event.
    /// </summary>
    private async Task BookWakeup(DateTime now, ModelEnvironment environment)
    {
        var state = profile.State;

        // Why: a booking ahead is kept unless a change comes before it, so only a change before it is looked for.
        var booked = state.WakeBookedFor > now ? state.WakeBookedFor : null;
        var next = ProfileUpdater.NextTimeDrivenChange(state, now, Policy, environment, before: booked);
        if (NextSendDue(now) is { } send && (next is null || send < next)) next = send;
        if (NextJourneyDue(now) is { } wait && (next is null || wait < next)) next = wait;
        if (next is null || booked <= next) return;

        var schedule = options.CurrentValue.Wakeups.Schedule;
        string key = this.GetPrimaryKeyString();
        long bucket = schedule.BucketOf(next.Value);
        for (int attempt = 0; attempt < 8; attempt++, bucket++)
        {
            var grain = GrainFactory.GetGrain<IWakeupBucketGrain>(WakeupSchedule.BucketKey(bucket, schedule.ShardOf(key)));
            if (await grain.Book(key, next.Value))
            {
                state.WakeBookedFor = next;
                return;
            }
        }

        LogWakeupNotBooked(next.Value);
    }

    private void LogTransitions(IReadOnlyList<LifecycleTransition> transitions)
    {
        foreach (var t in transitions)
        {
            metrics.LifecycleTransition(Key.AppId, t.To.ToWire());
            LogStageChanged(Key.AppId, t.From?.ToWire() ?? "none", t.To.ToWire(), t.At);
        }
    }

    Task<DeviceToken[]> IUserGrain.GetLiveDevices() =>
        Task.FromResult(profile.State.Devices.Where(d => d.IsLive).Select(d => new DeviceToken(d.Token, d.Platform)).ToArray());

    async Task IUserGrain.InvalidateDevice(string token, DateTime invalidatedAt)
    {
        if (!ProfileUpdater.InvalidateDevice(profile.State, token, invalidatedAt)) return;

        // Why: a dead token can make the user unreachable, which segments such as has_push_token follow.
        await Refresh(Now);
        LogDeviceInvalidated(Key.AppId, DeviceToken.Fingerprint(token), invalidatedAt);
    }
}
