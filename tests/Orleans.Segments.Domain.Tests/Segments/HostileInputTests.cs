using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Orleans.Segments.Domain.Segments;
using Orleans.Segments.Domain.Tests.Segments.Generators;

namespace Orleans.Segments.Domain.Tests.Segments;

public sealed class HostileInputTests
{
    private static readonly string[] Tokens =
    [
        "(", ")", ",", "and", "or", "not", "in", "=", "==", "!=", "<>", "<", "<=", ">", ">=", "!", "true", "false",
        "\"x\"", "\"", "\\", "3", "-2.5", ".5", "1.2.3", "30d", "2km", "500m", "3y", "-", ".", "\n", "\u00a0", "😀",
        "99999999999999999999w", "1e5", "stage", "count", "near", "trait", "has_push_token", "in_segment",
    ];

    [Fact]
    public void TenThousandOpeningParenthesesAreAnError()
    {
        Assert.Equal(new RuleError(1, 1, "the rule is longer than 4000 characters."), Rejected.Rule(new string('(', 10_000)));
    }

    [Fact]
    public void ParenthesesNestedFarTooDeepStopAtTheLimit()
    {
        Assert.Equal(new RuleError(1, 33, "the rule nests deeper than 32 levels."), Rejected.Rule(new string('(', 3_999)));
        Assert.Equal(new RuleError(1, 129, "the rule nests deeper than 32 levels."), Rejected.Rule(string.Concat(Enumerable.Repeat("not ", 999))));
    }

    [Property(MaxTest = 500)]
    public void AnyTextParsesOrFailsWithOneRuleError(string text) => AssertParsesOrFailsInsideTheText(text);

    [Property(MaxTest = 500)]
    public void AnyBytesParseOrFailWithOneRuleError(byte[] bytes) =>
        AssertParsesOrFailsInsideTheText(System.Text.Encoding.UTF8.GetString(bytes ?? []));

    [Property(MaxTest = 500)]
    public Property TokenSoupParsesOrFailsWithOneRuleError() =>
        Prop.ForAll(
            Gen.ListOf(Gen.Elements(Tokens)).Select(t => string.Join(" ", t)).ToArbitrary(),
            text => AssertParsesOrFailsInsideTheText(text));

    [Property(MaxTest = 300)]
    public Property DamagedRuleParsesOrFailsWithOneRuleError() =>
        Prop.ForAll(
            (from rule in RuleGenerators.Rule(2)
             from at in Gen.Choose(0, 1000)
             from length in Gen.Choose(0, 5)
             from insert in Gen.Elements(Tokens)
             let text = rule.Print()
             let start = at % (text.Length + 1)
             select text[..start] + insert + text[Math.Min(text.Length, start + length)..]).ToArbitrary(),
            text => AssertParsesOrFailsInsideTheText(text));

    private static void AssertParsesOrFailsInsideTheText(string? text)
    {
        var parsed = RuleParser.Parse(text);
        if (parsed.IsValid) return;

        var error = Assert.Single(parsed.Errors);
        Assert.Null(parsed.Root);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
        if ((text ?? "").Length > RuleParser.MaxLength) return;

        string[] lines = (text ?? "").Split('\n');
        Assert.InRange(error.Line, 1, lines.Length);
        Assert.InRange(error.Column, 1, lines[error.Line - 1].Length + 1);
    }
}
