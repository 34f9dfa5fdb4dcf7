using Orleans.Segments.Domain.Segments;

namespace Orleans.Segments.Domain.Tests.Segments;

/// <summary>Parses a rule that must be rejected and returns its one error.</summary>
internal static class Rejected
{
    public static RuleError Rule(string? text)
    {
        var parsed = RuleParser.Parse(text);
        Assert.False(parsed.IsValid, $"'{text}' was accepted as {parsed.Root?.Print()}");
        Assert.Null(parsed.Root);
        return Assert.Single(parsed.Errors);
    }
}
