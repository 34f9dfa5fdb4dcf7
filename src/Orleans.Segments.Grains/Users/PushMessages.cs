using Orleans.Segments.Domain.Campaigns;
using Orleans.Segments.Push;

namespace Orleans.Segments.Users;

/// <summary>
/// The notification the senders get for a message rendered for one user: the texts, the message's options and
/// the ids the app sends back. The one place it is built, for a send and for a preview alike.
/// </summary>
public static class PushMessages
{
    public static PushMessage For(CampaignMessage message, RenderedMessage rendered, SendRequest request, string notificationId) => new()
    {
        Title = rendered.Title,
        Subtitle = rendered.Subtitle,
        Body = rendered.Body,
        Sound = message.Sound,
        CollapseId = message.CollapseId,
        TimeToLive = request.TimeToLive,
        Priority = request.Priority == MessagePriority.Low ? PushPriority.Normal : PushPriority.High,
        Data = WithIds(message, request, notificationId),
    };

    private static Dictionary<string, string> WithIds(CampaignMessage message, SendRequest request, string notificationId)
    {
        // Why: the app sends these back with "Push Notification Tapped", which is how opens are attributed.
        var data = message.Data is null ? new Dictionary<string, string>(StringComparer.Ordinal) : new Dictionary<string, string>(message.Data, StringComparer.Ordinal);
        data["notification_id"] = notificationId;
        data["campaign_id"] = request.CampaignId;
        if (message.DeepLink is not null) data["deep_link"] = message.DeepLink;
        return data;
    }
}
