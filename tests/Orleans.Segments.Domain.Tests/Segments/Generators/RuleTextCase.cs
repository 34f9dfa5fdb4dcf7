namespace Orleans.Segments.Domain.Tests.Segments.Generators;

/// <summary>A rule as someone might type it (spacing, line breaks, redundant parentheses) and a user.</summary>
public sealed record RuleTextCase(string Text, UserStory User)
{
    public override string ToString() => $"{Environment.NewLine}text: {Text}{Environment.NewLine}user: {User}";
}
