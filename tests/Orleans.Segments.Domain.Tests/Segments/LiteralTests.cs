using Orleans.Segments.Domain.Segments;

namespace Orleans.Segments.Domain.Tests.Segments;

public sealed class LiteralTests
{
    [Theory]
    [InlineData("30m", 30 * 60)]
    [InlineData("12h", 12 * 3600)]
    [InlineData("30d", 30 * 86400)]
    [InlineData("2w", 14 * 86400)]
    [InlineData("90s", 90)]
    [InlineData("1.5h", 90 * 60)]
    public void DurationsReadInTheirUnits(string text, int seconds)
    {
        var value = ComparedValue($"""since_last("Application Opened") > {text}""");

        Assert.Equal(RuleType.Duration, value.Type);
        Assert.Equal(TimeSpan.FromSeconds(seconds), value.Duration);
    }

    [Theory]
    [InlineData("500m", 500)]
    [InlineData("2km", 2000)]
    [InlineData("0.5km", 500)]
    public void DistancesReadInMetres(string text, double metres)
    {
        var radius = Arguments($"near(52.52, 13.405, {text})")[2];

        Assert.Equal(RuleType.Distance, radius.Type);
        Assert.Equal(metres, radius.Number);
    }

    [Fact]
    public void MIsMinutesWhereADurationIsExpectedAndMetresInNear()
    {
        Assert.Equal(TimeSpan.FromMinutes(500), ComparedValue("since_last_seen < 500m").Duration);
        Assert.Equal(500, Arguments("near(52.52, 13.405, 500m)")[2].Number);
    }

    [Fact]
    public void NumbersMayBeNegativeAndDecimal()
    {
        Assert.Equal(-1.5, ComparedValue("""trait("balance") >= -1.5""").Number);
        Assert.Equal(0.25, ComparedValue("""interest("books") > .25""").Number);
    }

    [Fact]
    public void StringsEscapeQuotesAndBackslashes()
    {
        Assert.Equal("say \"hi\"", Arguments("""trait("say \"hi\"") = "x" """)[0].Text);
        Assert.Equal(@"a\b", ComparedValue("""trait("path") = "a\\b" """).Text);
        Assert.Equal(@"a\n", ComparedValue("""trait("path") = "a\n" """).Text);
    }

    [Fact]
    public void TrueAndFalseAreBooleans()
    {
        Assert.True(ComparedValue("""trait("vip") = true""").Bool);
        Assert.False(ComparedValue("has_push_token = false").Bool);
    }

    [Fact]
    public void DoubleEqualsAndAngleBracketsAreSynonyms()
    {
        Assert.Equal(CompareOp.Eq, Compare("""stage == "new" """).Op);
        Assert.Equal(CompareOp.NotEq, Compare("""stage <> "new" """).Op);
        Assert.Equal("""stage != "new" """.TrimEnd(), Compare("""stage <> "new" """).Print());
    }

    private static CompareNode Compare(string rule)
    {
        var parsed = RuleParser.Parse(rule);
        Assert.True(parsed.IsValid, string.Join("; ", parsed.Errors));
        return Assert.IsType<CompareNode>(parsed.Root);
    }

    private static Literal ComparedValue(string rule) => Compare(rule).Value;

    private static IReadOnlyList<Literal> Arguments(string rule)
    {
        var parsed = RuleParser.Parse(rule);
        Assert.True(parsed.IsValid, string.Join("; ", parsed.Errors));
        return parsed.Terms.First().Args;
    }
}
