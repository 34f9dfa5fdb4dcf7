namespace Orleans.Segments.Campaigns;

public enum CampaignCommandStatus : byte
{
    Ok = 0,
    Created = 1,
    /// <summary>The definition is invalid (400).</summary>
    Invalid = 2,
    /// <summary>Not allowed in the campaign's current status (409).</summary>
    Conflict = 3,
    NotFound = 4,
}
