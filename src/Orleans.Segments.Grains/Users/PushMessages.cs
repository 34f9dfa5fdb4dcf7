using Orleans.Segments.Domain.Campaigns;
using Orleans.Segments.Push;

namespace Orleans.Segments.Users;

/// <summary>
/// The notification the senders get for a message rendered for one user: the texts, the message's options and
/// the ids the app sends back. The one place it is built, for a send and for a preview alike.
/// </summary>
public static class PushMessages
{
    public static PushMessage For(CampaignMessage message, RenderedMessage rendered, SendRequest request, string notificationId) =>
        request.Category == MessageCategory.Silent
            ? new()
            {
                // Why: a silent push wakes the app and shows nothing; Apple wants priority 5 for it, and FCM sends it as a data message.
                ContentAvailable = true,
                CollapseId = message.CollapseId,
                TimeToLive = request.TimeToLive,
                Priority = PushPriority.Normal,
                Data = WithIds(message, request, notificationId),
            }
            : new()
            {
                Title = rendered.Title,
                Subtitle = rendered.Subtitle,
                Body = rendered.Body,
                Sound = message.Sound,
                CollapseId = message.CollapseId,
                TimeToLive = request.TimeToLive,
                Priority = request.Priority == MessagePriority.Low ? PushPriority.Normal : PushPriority.High,
                Data = WithIds(message, request, notificationId),
                ImageUrl = message.Image,
                Category = message.Category,
                Badge = message.Badge,
                ThreadId = message.ThreadId,
                AndroidChannelId = message.ChannelId,
            };

    private static Dictionary<string, string> WithIds(CampaignMessage message, SendRequest request, string notificationId)
    {
        // Why: the app sends these back with "Push Notification Tapped", which is how opens are attributed.
        var data = message.Data is null ? new Dictionary<string, string>(StringComparer.Ordinal) : new Dictionary<string, string>(message.Data, StringComparer.Ordinal);
        data["notification_id"] = notificationId;
        data["campaign_id"] = request.CampaignId;
        if (message.DeepLink is not null) data["deep_link"] = message.DeepLink;
        if (message.Buttons is { Count: > 0 } buttons) data["buttons"] = ButtonsJson(buttons);
        return data;
    }

    /// <summary>The buttons as the app's handler reads them: <c>[{"id": …, "title": …, "deep_link": …}]</c> (data values are strings).</summary>
    private static string ButtonsJson(List<PushButton> buttons)
    {
        var array = new System.Text.Json.Nodes.JsonArray();
        foreach (var b in buttons)
        {
            var button = new System.Text.Json.Nodes.JsonObject { ["id"] = b.Id, ["title"] = b.Title };
            if (b.DeepLink is not null) button["deep_link"] = b.DeepLink;
            array.Add(button);
        }

        return array.ToJsonString();
    }
}
