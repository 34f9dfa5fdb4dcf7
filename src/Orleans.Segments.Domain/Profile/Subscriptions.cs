using MessagePack;

namespace Orleans.Segments.Domain.Profile;

/// <summary>The user's consents to receive push messages, by category.</summary>
[GenerateSerializer, Alias("segments.Subscriptions")]
[MessagePackObject]
public sealed class Subscriptions
{
    /// <summary>Consent to marketing messages. Default: false until the user opts in.</summary>
    [Id(0), Key(0)] public bool Marketing { get; set; }

    [Id(1), Key(1)] public DateTime? MarketingChangedAt { get; set; }

    /// <summary>Consent to transactional messages (order confirmations). Default: true.</summary>
    [Id(2), Key(2)] public bool Transactional { get; set; } = true;

    [Id(3), Key(3)] public DateTime? TransactionalChangedAt { get; set; }
}
