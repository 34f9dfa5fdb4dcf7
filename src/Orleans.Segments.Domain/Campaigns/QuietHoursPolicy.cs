namespace Orleans.Segments.Domain.Campaigns;

/// <summary>What a campaign does with a message due in quiet hours.</summary>
public enum QuietHoursPolicy : byte
{
    /// <summary>Hold it and send it when quiet hours end, unless that is past its time to live.</summary>
    Hold = 0,
    /// <summary>Drop it.</summary>
    Drop = 1,
}
