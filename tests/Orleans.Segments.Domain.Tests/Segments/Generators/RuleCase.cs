using Orleans.Segments.Domain.Segments;

namespace Orleans.Segments.Domain.Tests.Segments.Generators;

/// <summary>A rule tree and a user to evaluate it for; prints as the rule's text and the user's history.</summary>
public sealed record RuleCase(RuleNode Rule, UserStory User)
{
    public override string ToString() => $"{Environment.NewLine}rule: {Rule.Print()}{Environment.NewLine}user: {User}";
}
