using Orleans.Segments.Domain.Behaviour;
using Orleans.Segments.Domain.Campaigns;
using Orleans.Segments.Domain.Events;
using Orleans.Segments.Domain.Profile;

namespace Orleans.Segments.Domain.Tests.Profile;

/// <summary>Names repeated by every user are held once per process; what they key and hold is unchanged.</summary>
public sealed class NamePoolTests
{
    private static readonly DateTime At = new(2026, 12, 1, 9, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Two_users_read_from_storage_share_their_names_and_keep_their_values()
    {
        var a = Profile("pro");
        var b = Profile("pro");
        Assert.NotSame(a.Counters.Keys.Single(), b.Counters.Keys.Single());

        a.PoolNames();
        b.PoolNames();

        Assert.Same(a.Counters.Keys.Single(), b.Counters.Keys.Single());
        Assert.Same(a.Traits.Keys.Single(k => k == "plan"), b.Traits.Keys.Single(k => k == "plan"));
        Assert.Same(a.Traits["plan"].Text, b.Traits["plan"].Text);
        Assert.Equal(3, b.Counters["Product Viewed"].Total);
        Assert.Equal((TraitKind.String, At), (b.Traits["plan"].Kind, b.Traits["plan"].SetAt));
        Assert.Equal(StringComparer.Ordinal, b.Counters.Comparer);
    }

    [Fact]
    public void The_message_log_and_the_ledger_share_their_repeated_strings_and_keep_their_order()
    {
        var a = Profile("free");
        var b = Profile("free");
        foreach (var state in new[] { a, b })
        {
            for (int i = 0; i < 3; i++)
            {
                string id = $"n-{i}-{Guid.NewGuid():N}";
                state.Messages.Add(new MessageLogEntry(id, new string("spring-sale".AsSpan()), new string($"manual-{i}".AsSpan()), MessageStatus.Delivered, SuppressionReason.None, new string("accepted for 1 of 1 device(s)".AsSpan()), At.AddMinutes(i)) { Variant = new string("a".AsSpan()) });
                state.Sends.Sent.Add(new SendRecord(new string("spring-sale".AsSpan()), new string($"manual-{i}".AsSpan()), MessageCategory.Marketing, At.AddMinutes(i), new string(id.AsSpan())));
            }
        }

        a.PoolNames();
        b.PoolNames();

        Assert.Same(a.Messages[2].CampaignId, b.Messages[2].CampaignId);
        Assert.Same(a.Messages[1].Detail, b.Messages[1].Detail);
        Assert.Same(a.Sends.Sent[0].Occurrence, b.Messages[0].Occurrence);
        Assert.All(b.Sends.Sent.Zip(b.Messages), pair => Assert.Same(pair.Second.NotificationId, pair.First.NotificationId));
        Assert.Equal(["manual-0", "manual-1", "manual-2"], b.Sends.Sent.Select(s => s.Occurrence));
        Assert.Equal("a", b.Messages[0].Variant);
    }

    [Fact]
    public void Long_texts_are_not_pooled()
    {
        string bio = new string('b', NamePool.MaxPooledValue + 1);
        var value = TraitValue.Of(bio, At);

        NamePool.Intern(new string(['d', 'e']));

        Assert.Null(NamePool.Value(value));
        Assert.NotNull(NamePool.Value(TraitValue.Of(new string(['d', 'e']), At)));
        Assert.Null(NamePool.Value(TraitValue.Of(42, At)));
    }

    /// <summary>A profile as storage gives it: every string its own copy.</summary>
    private static UserProfileState Profile(string plan)
    {
        var state = new UserProfileState { CreatedAt = At };
        var counter = new EventCounter();
        for (int i = 0; i < 3; i++) counter.Add(At.AddMinutes(i), null, At.AddHours(1));
        state.Counters[new string("Product Viewed".AsSpan())] = counter;
        state.Traits[new string("plan".AsSpan())] = TraitValue.Of(new string(plan.AsSpan()), At);
        state.Traits[new string("bio".AsSpan())] = TraitValue.Of(new string('b', 100), At);
        return state;
    }
}
