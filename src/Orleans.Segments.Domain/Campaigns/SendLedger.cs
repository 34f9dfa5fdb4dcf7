namespace Orleans.Segments.Domain.Campaigns;

/// <summary>
/// The pushes reserved for one user, kept as long as any cap can look back (90 days), plus the campaigns a
/// user ever received (for "once ever" rules). Part of the user's state, so a cap check and its reservation
/// are one turn of the user's grain.
/// </summary>
[GenerateSerializer, Alias("segments.SendLedger")]
public sealed class SendLedger
{
    /// <summary>How long reservations are remembered.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromDays(90);

    /// <summary>Reservations in time order.</summary>
    [Id(0)] public List<SendRecord> Sent { get; set; } = [];

    /// <summary>Every campaign the user ever received, for "once ever".</summary>
    [Id(1)] public HashSet<string> EverReceived { get; set; } = new(StringComparer.Ordinal);

    public bool Contains(string campaignId, string occurrence) =>
        Sent.Exists(s => s.CampaignId == campaignId && s.Occurrence == occurrence);

    public int CountSince(DateTime since, MessageCategory category) =>
        Sent.Count(s => s.At > since && s.Category == category);

    public int CountSince(DateTime since, string campaignId) =>
        Sent.Count(s => s.At > since && s.CampaignId == campaignId);

    public DateTime? Last => Sent.Count == 0 ? null : Sent[^1].At;

    public void Add(SendRecord record, DateTime now)
    {
        int index = Sent.FindLastIndex(s => s.At <= record.At) + 1;
        Sent.Insert(index, record);
        EverReceived.Add(record.CampaignId);
        int drop = Sent.FindIndex(s => s.At > now - Retention);
        if (drop > 0) Sent.RemoveRange(0, drop);
    }
}
