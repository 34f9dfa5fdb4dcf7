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
    [Fact]
    public void TheGlobalControlGroupHoldsItsShareTheSameUsersEveryTimeAndGrowsWithoutLosingAny()
    {
        var users = Enumerable.Range(0, 100_000).Select(i => $"user-{i}").ToList();
        var atTen = users.Where(u => VariantAssigner.InControlGroup("shop", u, 10)).ToHashSet();
        var atTwenty = users.Where(u => VariantAssigner.InControlGroup("shop", u, 20)).ToHashSet();

        Assert.InRange(atTen.Count, 9_500, 10_500);
        Assert.True(atTen.IsSubsetOf(atTwenty));
        Assert.All(atTen.Take(100), u => Assert.True(VariantAssigner.InControlGroup("shop", u, 10)));
        Assert.DoesNotContain(users, u => VariantAssigner.InControlGroup("shop", u, 0));
    }

    [Fact]
    public void TheGlobalControlGroupIsIndependentOfEachCampaignsHoldoutAndOfOtherApps()
    {
        var users = Enumerable.Range(0, 20_000).Select(i => $"u{i}").ToList();
        int bothHeldOut = users.Count(u => VariantAssigner.InControlGroup("shop", u, 50) && VariantAssigner.Assign("shop", u, 50, Split) == VariantAssigner.Holdout);
        int inBothApps = users.Count(u => VariantAssigner.InControlGroup("shop", u, 50) && VariantAssigner.InControlGroup("other", u, 50));

        Assert.InRange(bothHeldOut, 4_600, 5_400);
        Assert.InRange(inBothApps, 4_600, 5_400);
    }
}
