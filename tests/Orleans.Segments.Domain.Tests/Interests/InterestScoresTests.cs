using Microsoft.Extensions.Time.Testing;
using Orleans.Segments.Domain.Interests;

namespace Orleans.Segments.Domain.Tests.Interests;

public sealed class InterestScoresTests
{
    private const int Precision = 9;

    private readonly FakeTimeProvider time = new(new DateTimeOffset(2025, 3, 1, 9, 30, 0, TimeSpan.Zero));

    private readonly InterestPolicy policy = new();

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    [Fact]
    public void HalfLifeHalvesAScore()
    {
        var scores = new InterestScores();
        scores.Add("shoes", 4, Now, policy);

        time.Advance(policy.HalfLife);
        Assert.Equal(2, scores.ScoreOf("shoes", Now, policy), Precision);

        time.Advance(policy.HalfLife);
        Assert.Equal(1, scores.ScoreOf("shoes", Now, policy), Precision);
    }

    [Fact]
    public void UnknownCategoryScoresZero()
    {
        Assert.Equal(0, new InterestScores().ScoreOf("shoes", Now, policy));
    }

    [Fact]
    public void LateSignalGivesTheSameScoreAsInOrder()
    {
        var start = Now;
        (DateTime At, double Weight)[] signals =
        [
            (start, 1),
            (start + TimeSpan.FromDays(3), 3),
            (start + TimeSpan.FromDays(5.5), 5),
        ];
        var inOrder = new InterestScores();
        foreach (var (at, weight) in signals) inOrder.Add("shoes", weight, at, policy);
        var shuffled = new InterestScores();
        foreach (int i in new[] { 2, 0, 1 }) shuffled.Add("shoes", signals[i].Weight, signals[i].At, policy);

        time.Advance(TimeSpan.FromDays(10));

        double expected = signals.Sum(s => s.Weight * Math.Pow(2, -(Now - s.At) / policy.HalfLife));
        Assert.Equal(expected, inOrder.ScoreOf("shoes", Now, policy), Precision);
        Assert.Equal(expected, shuffled.ScoreOf("shoes", Now, policy), Precision);
    }

    [Fact]
    public void CapOnCategoriesDropsTheWeakest()
    {
        var capped = new InterestPolicy { MaxCategories = 3 };
        var scores = new InterestScores();
        scores.Add("bags", 2, Now, capped);
        scores.Add("shoes", 3, Now, capped);
        scores.Add("hats", 1, Now, capped);

        scores.Add("watches", 5, Now, capped);

        Assert.Equal(["bags", "shoes", "watches"], scores.Scores.Keys.Order());
    }

    [Fact]
    public void CapOnCategoriesIgnoresASignalWeakerThanEveryKeptScore()
    {
        var capped = new InterestPolicy { MaxCategories = 2 };
        var scores = new InterestScores();
        scores.Add("bags", 2, Now, capped);
        scores.Add("shoes", 3, Now, capped);

        scores.Add("hats", 1, Now, capped);

        Assert.Equal(["bags", "shoes"], scores.Scores.Keys.Order());
    }

    [Fact]
    public void CapOnCategoriesComparesDecayedScores()
    {
        var capped = new InterestPolicy { MaxCategories = 2 };
        var scores = new InterestScores();
        scores.Add("bags", 8, Now, capped);
        time.Advance(TimeSpan.FromDays(28));
        scores.Add("shoes", 3, Now, capped);

        scores.Add("hats", 2.5, Now, capped); // bags has decayed to 2

        Assert.Equal(["hats", "shoes"], scores.Scores.Keys.Order());
    }

    [Fact]
    public void RankedSharesSumToOneStrongestFirst()
    {
        var scores = new InterestScores();
        scores.Add("bags", 2, Now, policy);
        scores.Add("shoes", 5, Now, policy);
        scores.Add("hats", 1, Now, policy);
        time.Advance(TimeSpan.FromDays(9));

        var ranked = scores.Ranked(Now, policy);

        Assert.Equal(["shoes", "bags", "hats"], ranked.Select(r => r.Category));
        Assert.Equal(1, ranked.Sum(r => r.Share), Precision);
        Assert.Equal(5.0 / 8, ranked[0].Share, Precision);
    }

    [Fact]
    public void RankedIsEmptyWithoutScores()
    {
        Assert.Empty(new InterestScores().Ranked(Now, policy));
    }

    [Fact]
    public void MergeAddsTheOtherScores()
    {
        var mine = new InterestScores();
        var theirs = new InterestScores();
        mine.Add("shoes", 2, Now, policy);
        theirs.Add("shoes", 4, Now - policy.HalfLife, policy);
        theirs.Add("bags", 1, Now, policy);

        mine.MergeFrom(theirs, policy);

        Assert.Equal(4, mine.ScoreOf("shoes", Now, policy), Precision);
        Assert.Equal(1, mine.ScoreOf("bags", Now, policy), Precision);
    }
}
