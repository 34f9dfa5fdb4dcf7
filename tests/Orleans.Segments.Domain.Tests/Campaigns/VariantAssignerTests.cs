using Orleans.Segments.Domain.Campaigns;

namespace Orleans.Segments.Domain.Tests.Campaigns;

public sealed class VariantAssignerTests
{
    private static readonly VariantSplit[] Split = [new("a", 50), new("b", 50)];

    [Fact]
    public void SameUserAlwaysGetsTheSameArm()
    {
        var first = Enumerable.Range(0, 100).Select(i => VariantAssigner.Assign("c1", $"u{i}", 10, Split)).ToList();
        var second = Enumerable.Range(0, 100).Select(i => VariantAssigner.Assign("c1", $"u{i}", 10, Split)).ToList();

        Assert.Equal(first, second);
    }

    [Fact]
    public void ArmsGetTheirSharesOfManyUsers()
    {
        var arms = Enumerable.Range(0, 100_000).Select(i => VariantAssigner.Assign("c1", $"user-{i}", 10, Split))
            .GroupBy(a => a).ToDictionary(g => g.Key, g => g.Count());

        Assert.InRange(arms[VariantAssigner.Holdout], 9_500, 10_500);
        Assert.InRange(arms["a"], 44_000, 46_000);
        Assert.InRange(arms["b"], 44_000, 46_000);
    }

    [Fact]
    public void CampaignsSplitIndependently()
    {
        int same = Enumerable.Range(0, 10_000).Count(i => VariantAssigner.Assign("c1", $"u{i}", 0, Split) == VariantAssigner.Assign("c2", $"u{i}", 0, Split));

        Assert.InRange(same, 4_700, 5_300);
    }
}
