namespace Orleans.Segments.Domain.Campaigns;

/// <summary>What a message is: marketing (capped, needs marketing consent) or transactional (needs transactional consent).</summary>
public enum MessageCategory : byte
{
    Marketing = 0,
    Transactional = 1,

    /// <summary>
    /// A data-only push that shows nothing (APNs <c>content-available</c>, FCM data message): no consent, quiet
    /// hours or marketing caps apply to it, unless the app counts silent pushes against its caps.
    /// </summary>
    Silent = 2,
}

/// <summary>How a message ranks when it competes for the last slot of a cap.</summary>
public enum MessagePriority : byte
{
    Low = 0,
    Normal = 1,
    High = 2,
}
