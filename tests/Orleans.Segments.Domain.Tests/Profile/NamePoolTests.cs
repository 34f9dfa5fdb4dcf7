using Orleans.Segments.Domain.Behaviour;
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
