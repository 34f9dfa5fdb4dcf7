using Orleans.Segments.Domain.Events;

namespace Orleans.Segments.Users;

/// <summary>
/// One end user of one app (key: <see cref="UserKey.GrainKey"/>): the single writer of that user's profile.
/// Every call that changes the profile returns only after the change is persisted.
/// </summary>
[Alias("segments.IUserGrain")]
public interface IUserGrain : IGrainWithStringKey
{
    /// <summary>Applies events not seen before (by message id), persists, and says what happened.</summary>
    [Alias("Ingest")]
    Task<IngestReceipt> Ingest(UserEvent[] events);

    /// <summary>The profile as it stands now, or null if the user is unknown.</summary>
    [Alias("GetProfile")]
    Task<UserProfileView?> GetProfile();

    [Alias("RegisterDevice")]
    Task<DeviceView> RegisterDevice(DeviceToken device);

    /// <summary>Forgets a push token; false if the user had no such token.</summary>
    [Alias("RemoveDevice")]
    Task<bool> RemoveDevice(string token);

    /// <summary>Sets the consents given; a null leaves that consent as it is.</summary>
    [Alias("SetSubscriptions")]
    Task<SubscriptionsView> SetSubscriptions(bool? marketing, bool? transactional);

    /// <summary>
    /// Everything held about the user, as stored (full push tokens, traits, counters, histories, consents, the
    /// hashes of recent message ids), for a data-subject access request; null if unknown.
    /// </summary>
    [Alias("Export")]
    Task<Domain.Profile.UserProfileState?> Export();

    /// <summary>Erases everything held about the user, including profiles merged into it; false if unknown.</summary>
    [Alias("Erase")]
    Task<bool> Erase();

    /// <summary>Re-evaluates segments with definitions of at least <paramref name="minVersion"/> (backfills).</summary>
    [Alias("Reevaluate")]
    Task Reevaluate(long minVersion);

    /// <summary>Why the user is or is not in a segment: the rule's tree with this user's values.</summary>
    [Alias("Explain")]
    Task<Domain.Segments.Explanation?> Explain(string segmentId);

    /// <summary>Whether the user matches a rule now (segment previews); false for an unknown user.</summary>
    [Alias("Matches")]
    Task<bool> Matches(string rule);

    /// <summary>
    /// Decides whether <paramref name="request"/> may go to this user (consent, device, caps, quiet hours), and
    /// if so reserves it, persists, and hands it to APNs/FCM at most once. Idempotent per (campaign, occurrence).
    /// </summary>
    [Alias("Send")]
    Task<MessageResult> Send(Domain.Campaigns.SendRequest request, Domain.Campaigns.CampaignMessage message, string? variant);

    /// <summary>
    /// A broadcast offers the user one occurrence of a campaign: it joins the user's send outbox and is decided
    /// when due (at once if due now). Offering the same occurrence again changes nothing, which is what lets
    /// a broadcast resume after a crash without sending anyone a second copy. The answer is the decision (now or
    /// earlier), which the caller counts in the campaign's statistics with its cursor; null when there is none yet
    /// (due later, or not in the audience), in which case the user grain counts the decision when it makes it.
    /// </summary>
    [Alias("Offer")]
    Task<MessageResult?> Offer(Campaigns.CampaignOffer offer);

    /// <summary>Decides the campaign messages in the outbox that are due (sent to itself after a triggering change).</summary>
    [Alias("DeliverPending"), Orleans.Concurrency.OneWay]
    Task DeliverPending();

    /// <summary>Every recent decision about messages for this user, newest first.</summary>
    [Alias("GetMessages")]
    Task<Domain.Campaigns.MessageLogEntry[]> GetMessages();

    /// <summary>
    /// Renders <paramref name="message"/> for this user and pushes it to their live devices now, outside caps, quiet
    /// hours and consent, counted in no statistics, logged as a test under <paramref name="campaignId"/>.
    /// </summary>
    /// <remarks>A silent campaign's test is sent as a silent push (<paramref name="category"/>); every other as an alert.</remarks>
    /// <summary>
    /// Applies one imported user in one write: first seen, devices, consents, then the traits as an identify
    /// (de-duplicated by <paramref name="messageId"/>) at their last-seen time; triggers no campaign or journey.
    /// True when the user did not exist before.
    /// </summary>
    [Alias("Import")]
    Task<bool> Import(ImportedUser user, string messageId);

    [Alias("TrackLiveActivity")]
    Task TrackLiveActivity(string activityId);

    [Alias("SendTest.v2")]
    Task<MessageResult> SendTest(string campaignId, Domain.Campaigns.CampaignMessage message, Domain.Campaigns.MessageCategory category = Domain.Campaigns.MessageCategory.Transactional,
        IReadOnlyDictionary<string, string>? journey = null);

    /// <summary>The notification a send of <paramref name="message"/> would hand over for this user now, rendered by the same code; nothing is sent.</summary>
    [Alias("Preview")]
    Task<MessagePreview> Preview(Domain.Campaigns.SendRequest request, Domain.Campaigns.CampaignMessage message);



    /// <summary>Called by the wake-up service when a time-driven change is due.</summary>
    [Alias("Wake")]
    Task Wake();

    /// <summary>
    /// Puts the user into a live journey now (its API entry), with properties its templates may use; null when
    /// the user entered, else why not (<c>unknown_user</c>, <c>already_in_journey</c>, <c>reentry_not_allowed</c>, ...).
    /// </summary>
    [Alias("EnterJourney")]
    Task<string?> EnterJourney(string journeyId, Dictionary<string, string>? properties);

    /// <summary>The user's journey runs, in flight and ended, oldest entry first; empty for an unknown user.</summary>
    [Alias("GetJourneys")]
    Task<Domain.Journeys.JourneyPosition[]> GetJourneys();

    /// <summary>
    /// Copies this (anonymous) profile for <paramref name="target"/> to merge; null if there is nothing to hand
    /// over. The profile stays until <see cref="CompleteHandOver"/>, so a failed merge loses nothing.
    /// </summary>
    [Alias("HandOver")]
    Task<ProfileHandOver?> HandOver(string target);

    /// <summary>After the target has persisted the merge: drop this profile and forward later events there.</summary>
    [Alias("CompleteHandOver")]
    Task CompleteHandOver(string target);

    /// <summary>The push tokens a notification may be sent to now: every registered token not answered dead.</summary>
    [Alias("GetLiveDevices")]
    Task<DeviceToken[]> GetLiveDevices();

    /// <summary>
    /// Marks <paramref name="token"/> dead because APNs answered 410 or FCM <c>UNREGISTERED</c> (or a token error)
    /// at <paramref name="invalidatedAt"/>; it is never sent to again unless registered again after that moment.
    /// </summary>
    [Alias("InvalidateDevice")]
    Task InvalidateDevice(string token, DateTime invalidatedAt);
}
