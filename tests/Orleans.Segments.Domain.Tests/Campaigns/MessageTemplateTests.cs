using Orleans.Segments.Domain.Campaigns;
using Orleans.Segments.Domain.Events;
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
}
