using FsCheck.Xunit;
using Orleans.Segments.Domain.Segments;
using Orleans.Segments.Domain.Tests.Segments.Generators;

namespace Orleans.Segments.Domain.Tests.Segments;

public sealed class RoundTripProperties
{
    [Property(Arbitrary = [typeof(SegmentArbitraries)], MaxTest = 250)]
    public void PrintedTreeParsesAndPrintsTheSameText(RuleCase c)
    {
        string printed = c.Rule.Print();

        var parsed = RuleParser.Parse(printed);

        Assert.True(parsed.IsValid, $"'{printed}' does not parse: {string.Join("; ", parsed.Errors)}");
        Assert.Equal(printed, parsed.Root!.Print());
    }

    [Property(Arbitrary = [typeof(SegmentArbitraries)], MaxTest = 250)]
    public void ParsePrintParseSettlesAfterOneRoundAndKeepsTheMeaning(RuleTextCase c)
    {
        var first = RuleParser.Parse(c.Text);
        Assert.True(first.IsValid, $"the typed text does not parse: {string.Join("; ", first.Errors)}");

        string printed = first.Root!.Print();
        var second = RuleParser.Parse(printed);
        Assert.True(second.IsValid, $"'{printed}' does not parse: {string.Join("; ", second.Errors)}");
        Assert.Equal(printed, second.Root!.Print());

        var state = c.User.Build();
        var context = c.User.Context(state);
        Assert.Equal(RuleCompiler.Compile(first.Root)(context), RuleCompiler.Compile(second.Root)(context));
        Assert.Equal(RuleInterpreter.Evaluate(first.Root, context), RuleInterpreter.Evaluate(second.Root, context));
    }
}
