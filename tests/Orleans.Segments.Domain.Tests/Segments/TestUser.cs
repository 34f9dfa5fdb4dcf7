using Microsoft.Extensions.Time.Testing;
using Orleans.Segments.Domain.Events;
using Orleans.Segments.Domain.Profile;
using Orleans.Segments.Domain.Segments;

namespace Orleans.Segments.Domain.Tests.Segments;

/// <summary>
/// One user built through <see cref="ProfileUpdater"/> on a fake clock. <see cref="Holds"/> parses a rule and
/// evaluates it at the current time both compiled and interpreted, failing if the two disagree.
/// </summary>
internal sealed class TestUser(ModelEnvironment? environment = null)
{
    private int sequence;

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2025, 3, 1, 9, 30, 0, TimeSpan.Zero));

    public UserProfileState State { get; } = new();

    public UserModelPolicy Policy { get; } = UserModelPolicy.Default;

    public ModelEnvironment Environment { get; } = environment ?? ModelEnvironment.None;

    /// <summary>The other segments the user is in, for <c>in_segment</c>.</summary>
    public HashSet<string> Segments { get; } = new(StringComparer.Ordinal);

    public DateTime Now => Time.GetUtcNow().UtcDateTime;

    public TestUser Does(string name, Dictionary<string, double>? numbers = null, params string[] categories) =>
        Send(Event(EventKind.Track) with { Name = name, Numbers = numbers, Categories = categories.Length > 0 ? categories : null });

    public TestUser Identifies(string trait, TraitValue value) =>
        Send(Event(EventKind.Identify) with { Traits = new() { [trait] = value } });

    public TestUser IsAt(GeoPoint point) => Send(Event(EventKind.Track) with { Name = "Location Updated", Location = point });

    public TestUser LivesIn(string zone) => Send(Event(EventKind.Track) with { Name = "Application Opened", TimeZone = zone });

    public TestUser RegistersDevice(string token = "fcm-token-abcdefghijklmnopqrstuvwxyz-0123456789") =>
        Send(Event(EventKind.Track) with { Name = "Application Opened", Device = new DeviceToken(token, PushPlatform.Android) });

    public TestUser UsesApp(ClientContext client) => Send(Event(EventKind.Track) with { Name = "Application Opened", Client = client });

    public TestUser Consents(bool? marketing = null, bool? transactional = null)
    {
        ProfileUpdater.SetSubscriptions(State, marketing, transactional, Now);
        return this;
    }

    public TestUser Waits(TimeSpan time)
    {
        Time.Advance(time);
        return this;
    }

    public TestUser Send(UserEvent e)
    {
        ProfileUpdater.Apply(State, [e], Now, Policy, Environment);
        return this;
    }

    public UserEvent Event(EventKind kind) => new(kind, $"m{++sequence}", Now);

    /// <summary>Whether <paramref name="rule"/> holds for the user now; compiled and interpreted must agree.</summary>
    public bool Holds(string rule)
    {
        var root = Parse(rule);
        var context = Context();
        bool interpreted = RuleInterpreter.Evaluate(root, context);
        Assert.True(interpreted == RuleCompiler.Compile(root)(context), $"compiled and interpreted disagree on {rule}");
        return interpreted;
    }

    /// <summary>The value of the first function in <paramref name="rule"/> for the user now.</summary>
    public RuleValue ValueOf(string rule) => RuleFunctions.Evaluate(RuleParser.TermsOf(Parse(rule)).First(), Context());

    private RuleContext Context() => new(State, Now, Policy) { InSegment = Segments.Contains };

    private static RuleNode Parse(string rule)
    {
        var parsed = RuleParser.Parse(rule);
        Assert.True(parsed.IsValid, $"{rule}: {string.Join("; ", parsed.Errors)}");
        return parsed.Root!;
    }
}
