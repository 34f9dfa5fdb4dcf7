using Microsoft.Extensions.Logging;

namespace Orleans.Segments.Campaigns;

public sealed partial class CampaignGrain
{
    [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "Campaign {CampaignId} of {AppId} started broadcast {Occurrence} to about {Audience} users")]
    private partial void LogBroadcastStarted(string appId, string campaignId, string occurrence, long audience);

    [LoggerMessage(EventId = 301, Level = LogLevel.Information, Message = "Campaign {CampaignId} of {AppId} finished broadcast {Occurrence}: {Offered} users offered ({Outcome})")]
    private partial void LogBroadcastFinished(string appId, string campaignId, string occurrence, long offered, string outcome);

    [LoggerMessage(EventId = 302, Level = LogLevel.Warning, Message = "Campaign {CampaignId} of {AppId} could not offer a page of its broadcast; it is offered again at the next tick")]
    private partial void LogOfferFailed(string appId, string campaignId, Exception exception);

    [LoggerMessage(EventId = 303, Level = LogLevel.Warning, Message = "Campaign {CampaignId} of {AppId} paused: {Reason}")]
    private partial void LogPaused(string appId, string campaignId, string reason);
}
