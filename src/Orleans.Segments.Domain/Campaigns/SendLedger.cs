using MessagePack;

namespace Orleans.Segments.Domain.Campaigns;

/// <summary>
/// The pushes reserved for one user, kept as long as any cap can look back (90 days), plus how many pushes of
/// each campaign the user ever received (for "at most n ever" rules). Part of the user's state, so a cap check
/// and its reservation are one turn of the user's grain. An occurrence is recognised as already sent for at
/// least those 90 days; a request for it after that may count as new.
/// </summary>
[GenerateSerializer, Alias("segments.SendLedger")]
[MessagePackObject]
public sealed class SendLedger
{
    /// <summary>How long reservations are remembered.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromDays(90);

    /// <summary>Reservations in time order.</summary>
    [Id(0), Key(0)] public List<SendRecord> Sent { get; set; } = [];

    /// <summary>Every campaign the user ever received. Superseded by <see cref="ReceivedEver"/>, still written for silos that only know this.</summary>
    [Id(1), Key(1)] public HashSet<string> EverReceived { get; set; } = new(StringComparer.Ordinal);

    /// <summary>How many pushes of each campaign the user ever received, for "at most n ever".</summary>
    [Id(2), Key(2)] public Dictionary<string, int> ReceivedEver { get; set; } = new(StringComparer.Ordinal);

    public bool Contains(string campaignId, string occurrence) =>
        Sent.Exists(s => s.CampaignId == campaignId && s.Occurrence == occurrence);

    public int CountSince(DateTime since, MessageCategory category) =>
        Sent.Count(s => s.At > since && s.Category == category);

    public int CountSince(DateTime since, string campaignId) =>
        Sent.Count(s => s.At > since && s.CampaignId == campaignId);

    /// <summary>How many pushes of <paramref name="campaignId"/> the user ever received.</summary>
    public int CountEver(string campaignId) =>
        ReceivedEver.TryGetValue(campaignId, out int count) ? count
        // Why: a ledger saved before the counts were kept knows only that the campaign was received, and the
        // pushes of the last 90 days; together they are the best floor there is.
        : EverReceived.Contains(campaignId) ? Math.Max(1, Sent.Count(s => s.CampaignId == campaignId))
        : 0;

    [IgnoreMember]
    public DateTime? Last => Sent.Count == 0 ? null : Sent[^1].At;

    /// <summary>The latest push the minimum gap counts: any but silent ones, unless they count as marketing.</summary>
    public DateTime? LastCounted(bool withSilent)
    {
        for (int i = Sent.Count - 1; i >= 0; i--)
        {
            if (withSilent || Sent[i].Category != MessageCategory.Silent) return Sent[i].At;
        }

        return null;
    }

    /// <summary>
    /// Gives back the reservation of an occurrence that was never received (the provider refused it for the
    /// moment and it waits to be tried again); true when there was one.
    /// </summary>
    public bool Release(string campaignId, string occurrence)
    {
        int index = Sent.FindLastIndex(s => s.CampaignId == campaignId && s.Occurrence == occurrence);
        if (index < 0) return false;
        Sent.RemoveAt(index);
        int ever = CountEver(campaignId) - 1;
        if (ever > 0)
        {
            ReceivedEver[campaignId] = ever;
        }
        else
        {
            ReceivedEver.Remove(campaignId);
            EverReceived.Remove(campaignId);
        }

        return true;
    }

    public void Add(SendRecord record, DateTime now)
    {
        ReceivedEver[record.CampaignId] = CountEver(record.CampaignId) + 1;
        EverReceived.Add(record.CampaignId);
        int index = Sent.FindLastIndex(s => s.At <= record.At) + 1;
        Sent.Insert(index, record);
        int drop = Sent.FindIndex(s => s.At > now - Retention);
        if (drop > 0) Sent.RemoveRange(0, drop);
    }
}
