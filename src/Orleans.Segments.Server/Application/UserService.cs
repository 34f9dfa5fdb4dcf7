using Orleans.Segments.Domain.Campaigns;
using Orleans.Segments.Domain.Segments;
using Orleans.Segments.Segments;
using Orleans.Segments.Users;

namespace Orleans.Segments.Server.Application;

/// <summary>One user of one app, for the JSON API and the console alike: profile, explanations, messages, actions.</summary>
public sealed class UserService(IGrainFactory grains)
{
    /// <summary>Whether a user id can name a user: 1 to 256 characters, no control characters.</summary>
    public static bool IsValidUserId(string userId) => userId.Length is > 0 and <= 256 && !userId.AsSpan().ContainsAnyInRange('\u0000', '\u001f');

    public Task<UserProfileView?> ProfileAsync(string app, string userId) => User(app, userId).GetProfile();

    public Task<MessageLogEntry[]> MessagesAsync(string app, string userId) => User(app, userId).GetMessages();

    /// <summary>Every segment of the app with whether the user is in it and why: the rule's tree with the user's values.</summary>
    public async Task<IReadOnlyList<(SegmentDefinition Segment, Explanation? Why)>> ExplainAllAsync(string app, string userId)
    {
        var snapshot = await grains.GetGrain<ISegmentCatalogGrain>(app).GetSnapshot();
        var user = User(app, userId);
        var explanations = await Task.WhenAll(snapshot.Segments.OrderBy(s => s.Id, StringComparer.Ordinal).Select(async s => (s, await user.Explain(s.Id))));
        return explanations;
    }

    public Task<Explanation?> ExplainAsync(string app, string userId, string segmentId) => User(app, userId).Explain(segmentId);

    public Task<SubscriptionsView> SetConsentsAsync(string app, string userId, bool? marketing, bool? transactional) =>
        User(app, userId).SetSubscriptions(marketing, transactional);

    public Task<MessageResult> SendTestAsync(string app, string userId, string campaignId, CampaignMessage message, MessageCategory category = MessageCategory.Transactional) =>
        User(app, userId).SendTest(campaignId, message, category);

    /// <summary>The app's test users, who get a test send when no user is named.</summary>
    public Task<Campaigns.TestUser[]> TestUsersAsync(string app) => grains.GetGrain<Campaigns.ITestUsersGrain>(app).List();

    public Task<bool> EraseAsync(string app, string userId) => User(app, userId).Erase();

    private IUserGrain User(string app, string userId) => grains.GetGrain<IUserGrain>(UserKey.Known(app, userId).GrainKey);
}
