using Orleans.Segments.Domain.Campaigns;
using Orleans.Segments.Domain.Events;
using Orleans.Segments.Domain.Interests;
using Orleans.Segments.Domain.Lifecycle;
using Orleans.Segments.Domain.Profile;

namespace Orleans.Segments.Domain.Tests.Campaigns;

public sealed class MessageTemplateTests
{
    private static readonly DateTime At = new(2026, 3, 2, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void PersonalizesWithTraitsAndFallsBackToDefaults()
    {
        Assert.True(MessageTemplate.TryParse("Hi {{ traits.first_name | default: \"there\" }}!", out var template, out _));
        var known = new UserProfileState();
        known.Traits["first_name"] = TraitValue.Of("Ada", At);

        Assert.Equal("Hi Ada!", template!.Render("u1", known));
        Assert.Equal("Hi there!", template.Render("u2", new UserProfileState()));
    }

    [Fact]
    public void JourneyPropertiesOfTheEnteringCallAreReadUnderJourney()
    {
        Assert.True(MessageTemplate.TryParse("Your {{ journey.plan | default: \"trial\" }} plan ends {{ journey.ends_on }}", out var template, out _));
        var properties = new Dictionary<string, string> { ["plan"] = "Pro", ["ends_on"] = "Friday" };

        Assert.True(template!.TryRender("u1", new UserProfileState(), TemplateLimits.Default, TimeProvider.System, out string text, out _, properties));
        Assert.True(template.TryRender("u1", new UserProfileState(), TemplateLimits.Default, TimeProvider.System, out string without, out _, new Dictionary<string, string>()));
        Assert.Equal("Your Pro plan ends Friday", text);
        Assert.Equal("Your trial plan ends ", without);
    }

    [Fact]
    public void SyntaxErrorSaysWhere()
    {
        Assert.False(MessageTemplate.TryParse("Hi {{ traits.first_name ", out _, out var error));

        Assert.NotNull(error);
        Assert.Matches(@"\(1:\d+\)", error);
    }

    [Fact]
    public void OverlongTemplateIsRefused()
    {
        Assert.False(MessageTemplate.TryParse(new string('x', MessageTemplate.MaxLength + 1), out _, out var error));
        Assert.Contains("at most", error);
    }

    [Fact]
    public void EveryModelValueRendersWhenTheTemplateMentionsIt()
    {
        var state = new UserProfileState { Location = new LastLocation(new GeoPoint(52.52, 13.40, "Berlin", "DE"), At) };
        state.Lifecycle.Stage = LifecycleStage.AtRisk;
        state.Interests.Scores["shoes"] = new InterestScore(3, At);
        state.Interests.Scores["books"] = new InterestScore(1, At);
        state.Traits["plan"] = TraitValue.Of("pro", At);

        Assert.True(MessageTemplate.TryParse("{{ user_id }}|{{ stage }}|{{ city }}|{{ country }}|{{ top_interest }}|{{ traits.plan }}", out var template, out _));

        Assert.Equal("u7|at_risk|Berlin|DE|shoes|pro", template!.Render("u7", state));
    }

    [Theory]
    [InlineData("Our spring sale starts now")]
    [InlineData("Braces { alone } and percent % are text")]
    [InlineData("")]
    public void TextWithoutTagsIsItsOwnRendering(string text)
    {
        Assert.True(MessageTemplate.TryParse(text, out var template, out _));
        Assert.Equal(text, template!.Render("u1", new UserProfileState()));
    }

    [Theory]
    [InlineData("{% for i in (1..1000000000) %}x{% endfor %}", "collection size")]
    [InlineData("{{ (1..100000000) | join: \",\" }}", "collection size")]
    [InlineData("{% assign a = (1..10000000) | join: \"x\" %}", "collection size")]
    [InlineData("{% assign s = \"xx\" %}{% for i in (1..40) %}{% assign s = s | append: s %}{% endfor %}{{ s }}", "output size")]
    [InlineData("{% for i in (1..999) %}{% for j in (1..999) %}{% endfor %}{% endfor %}", "steps")]
    [InlineData("{% capture c %}{% for i in (1..900) %}abcdefghij{% endfor %}{% endcapture %}", "output size")]
    public void ATemplateThatExhaustsALimitEvenForAnEmptyProfileIsRefusedAtSaveWithTheReason(string text, string reason)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();

        Assert.False(MessageTemplate.TryParse(text, out var template, out string? error));

        Assert.Null(template);
        Assert.StartsWith("the template cannot be rendered: ", error);
        Assert.Contains(reason, error);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 16 * 1024 * 1024, "refusing it must not build what it asks for");
    }

    [Fact]
    public void ATemplateThatPassesALimitForOneUserFailsForThatUserWithTheReason()
    {
        Assert.True(MessageTemplate.TryParse("{% for i in (1..traits.n) %}x{% endfor %}", out var template, out _));
        var modest = new UserProfileState();
        modest.Traits["n"] = TraitValue.Of(3, At);
        var hostile = new UserProfileState();
        hostile.Traits["n"] = TraitValue.Of(1_000_000_000, At);

        Assert.Equal("xxx", template!.Render("u1", modest));
        Assert.False(template.TryRender("u2", hostile, TemplateLimits.Default, TimeProvider.System, out string text, out string? error));
        Assert.Equal("", text);
        Assert.Contains("collection size of 1000 items", error);
        Assert.Throws<TemplateRenderException>(() => template.Render("u2", hostile));
    }

    [Fact]
    public void ATraitLongerThanTheOutputLimitFailsRatherThanGrowingThePush()
    {
        Assert.True(MessageTemplate.TryParse("{{ traits.bio }}{{ traits.bio }}", out var template, out _));
        var state = new UserProfileState();
        state.Traits["bio"] = TraitValue.Of(new string('b', 3_000), At);

        Assert.False(template!.TryRender("u1", state, TemplateLimits.Default, TimeProvider.System, out _, out string? error));
        Assert.Contains("output size of 4000 characters", error);
    }

    [Fact]
    public void ARenderingPastItsTimeIsStopped()
    {
        Assert.True(MessageTemplate.TryParse("{% for i in (1..10) %}{{ i }}{% endfor %}", out var template, out _));

        Assert.False(template!.TryRender("u1", new UserProfileState(), TemplateLimits.Default, new ExpiredAtOnce(), out _, out string? error));

        Assert.Equal("rendering took longer than 1000 ms.", error);
    }

    [Fact]
    public void TighterLimitsAreEnforced()
    {
        var limits = new TemplateLimits { MaxSteps = 50 };
        Assert.True(MessageTemplate.TryParse("{% for i in (1..100) %}x{% endfor %}", out var template, out _));

        Assert.False(template!.TryRender("u1", new UserProfileState(), limits, TimeProvider.System, out _, out string? error));
        Assert.Equal("The maximum number of 50 steps has been reached.", error);
    }

    /// <summary>A clock on which every timer is already due: a rendering's deadline has passed before it starts.</summary>
    private sealed class ExpiredAtOnce : TimeProvider
    {
        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) => new Timer(callback, state);

        private sealed class Timer(TimerCallback callback, object? state) : ITimer
        {
            public bool Change(TimeSpan dueTime, TimeSpan period)
            {
                if (dueTime != Timeout.InfiniteTimeSpan) callback(state);
                return true;
            }

            public void Dispose()
            {
            }

            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }
}
