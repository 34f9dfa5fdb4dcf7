using Microsoft.Extensions.Time.Testing;
using Orleans.Segments.Domain.Events;
using Orleans.Segments.Domain.Profile;
using static Orleans.Segments.Domain.Tests.Profile.UserEvents;

namespace Orleans.Segments.Domain.Tests.Profile;

public sealed class ApplyTraitsTests
{
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2025, 3, 1, 9, 30, 0, TimeSpan.Zero));

    private readonly UserProfileState state = new();

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    [Fact]
    public void OlderIdentifyDoesNotOverwriteANewerTrait()
    {
        var older = Now;
        var newer = Now + TimeSpan.FromHours(1);
        time.Advance(TimeSpan.FromHours(2));

        Apply(Identify(newer, "plan", TraitValue.Of("pro", newer)));
        Apply(Identify(older, "plan", TraitValue.Of("free", older)));

        Assert.Equal(TraitValue.Of("pro", newer), state.Traits["plan"]);
    }

    [Fact]
    public void NewerIdentifyOverwritesATrait()
    {
        var older = Now;
        var newer = Now + TimeSpan.FromHours(1);
        time.Advance(TimeSpan.FromHours(2));

        Apply(Identify(older, "plan", TraitValue.Of("free", older)));
        Apply(Identify(newer, "plan", TraitValue.Of("pro", newer)));

        Assert.Equal("pro", state.Traits["plan"].Text);
    }

    [Fact]
    public void NullTraitIsATombstoneThatOlderValuesDoNotResurrect()
    {
        var set = Now;
        var cleared = Now + TimeSpan.FromHours(2);
        var late = Now + TimeSpan.FromHours(1);
        time.Advance(TimeSpan.FromHours(3));

        Apply(Identify(set, "email", TraitValue.Of("a@example.com", set)));
        Apply(Identify(cleared, "email", TraitValue.Null(cleared)));
        Apply(Identify(late, "email", TraitValue.Of("b@example.com", late)));

        Assert.Equal(TraitKind.Null, state.Traits["email"].Kind);
        Assert.Null(state.Traits["email"].ToPlain());
    }

    [Fact]
    public void KeepsAtMostTheConfiguredNumberOfTraits()
    {
        var policy = new UserModelPolicy { MaxTraits = 2 };
        foreach (string key in new[] { "a", "b", "c" })
        {
            ProfileUpdater.Apply(state, [Identify(Now, key, TraitValue.Of(1, Now))], Now, policy);
        }

        Assert.Equal(["a", "b"], state.Traits.Keys.Order());
    }

    [Fact]
    public void LocationKeepsTheLatestByEventTime()
    {
        var paris = new GeoPoint(48.8566, 2.3522, "Paris", "FR");
        var london = new GeoPoint(51.5072, -0.1276, "London", "GB");
        var newer = Now + TimeSpan.FromHours(1);
        var older = Now;
        time.Advance(TimeSpan.FromHours(2));

        Apply(Track("App Opened", newer) with { Location = paris });
        Apply(Track("App Opened", older) with { Location = london });

        Assert.Equal(new LastLocation(paris, newer), state.Location);
    }

    [Fact]
    public void TimeZoneKeepsTheLatestByEventTime()
    {
        var newer = Now + TimeSpan.FromHours(1);
        var older = Now;
        var newest = Now + TimeSpan.FromHours(2);
        time.Advance(TimeSpan.FromHours(3));

        Apply(Track("App Opened", newer) with { TimeZone = "Europe/Paris" });
        Apply(Track("App Opened", older) with { TimeZone = "Europe/London" });
        Assert.Equal(("Europe/Paris", newer), (state.TimeZone, state.TimeZoneAt));

        Apply(Track("App Opened", newest) with { TimeZone = "America/New_York" });
        Assert.Equal(("America/New_York", newest), (state.TimeZone, state.TimeZoneAt));
    }

    private void Apply(UserEvent e) => ProfileUpdater.Apply(state, [e], Now, UserModelPolicy.Default);
}
