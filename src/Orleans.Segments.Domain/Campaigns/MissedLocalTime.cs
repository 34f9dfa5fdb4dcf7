namespace Orleans.Segments.Domain.Campaigns;

/// <summary>For local-time broadcasts: what happens to users whose local send time has already passed.</summary>
public enum MissedLocalTime : byte
{
    /// <summary>Send at the same local time the next day.</summary>
    NextDay = 0,
    /// <summary>Send at once.</summary>
    SendNow = 1,
    /// <summary>Skip the user for this occurrence (recorded in the user's message log).</summary>
    Skip = 2,
}
