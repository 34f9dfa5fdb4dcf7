namespace Orleans.Segments.Domain.Tests.Campaigns;

/// <summary>A campaign's own cap per user: at most <see cref="Limit"/> per <see cref="Window"/>, or ever when it is null.</summary>
public sealed record CampaignCap(int Limit, TimeSpan? Window)
{
    public override string ToString() => Window is { } w ? $"{Limit} per {w}" : $"{Limit} ever";
}
