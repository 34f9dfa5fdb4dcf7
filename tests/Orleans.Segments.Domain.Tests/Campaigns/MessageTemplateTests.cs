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
}
