namespace Orleans.Segments.Campaigns;

/// <summary>The outcome of a command: the campaign after it, or why it was refused.</summary>
[GenerateSerializer, Immutable, Alias("segments.CampaignCommandResult")]
public sealed record CampaignCommandResult(
    [property: Id(0)] CampaignCommandStatus Status,
    [property: Id(1)] string[] Errors,
    [property: Id(2)] CampaignView? Campaign);
