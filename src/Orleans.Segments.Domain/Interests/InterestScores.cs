using MessagePack;

namespace Orleans.Segments.Domain.Interests;

/// <summary>
/// Exponentially decayed interest per category. Each score is stored as (value, as-of time), so a signal that
/// arrives late is decayed by its true age and the result is the same in any arrival order.
/// </summary>
[GenerateSerializer, Alias("segments.InterestScores")]
[MessagePackObject]
public sealed class InterestScores
{
    [Id(0), Key(0)] public Dictionary<string, InterestScore> Scores { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Adds <paramref name="weight"/> observed at <paramref name="at"/> to <paramref name="category"/>.</summary>
    public void Add(string category, double weight, DateTime at, InterestPolicy policy)
    {
        if (Scores.TryGetValue(category, out var score))
        {
            Scores[category] = score.Plus(weight, at, policy.HalfLife);
            return;
        }

        if (Scores.Count >= policy.MaxCategories)
        {
            var weakest = Scores.MinBy(pair => pair.Value.ValueAt(at, policy.HalfLife));
            if (weakest.Value.ValueAt(at, policy.HalfLife) >= weight) return;
            Scores.Remove(weakest.Key);
        }

        Scores[Profile.NamePool.Intern(category)] = new InterestScore(weight, at);
    }

    /// <summary>The decayed score of <paramref name="category"/> at <paramref name="now"/>.</summary>
    public double ScoreOf(string category, DateTime now, InterestPolicy policy) =>
        Scores.TryGetValue(category, out var score) ? score.ValueAt(now, policy.HalfLife) : 0;

    /// <summary>Every category with its score and its share of all scores at <paramref name="now"/>, strongest first.</summary>
    public IReadOnlyList<(string Category, double Score, double Share)> Ranked(DateTime now, InterestPolicy policy)
    {
        var values = Scores.Select(pair => (pair.Key, Value: pair.Value.ValueAt(now, policy.HalfLife))).ToList();
        double total = values.Sum(v => v.Value);
        return values
            .OrderByDescending(v => v.Value).ThenBy(v => v.Key, StringComparer.Ordinal)
            .Select(v => (v.Key, v.Value, total > 0 ? v.Value / total : 0))
            .ToList();
    }

    public void MergeFrom(InterestScores other, InterestPolicy policy)
    {
        foreach (var (category, score) in other.Scores) Add(category, score.Value, score.AsOf, policy);
    }
}

/// <summary>A decayed score: <see cref="Value"/> as it stood at <see cref="AsOf"/>.</summary>
[GenerateSerializer, Immutable, Alias("segments.InterestScore")]
[MessagePackObject]
public readonly record struct InterestScore([property: Id(0), Key(0)] double Value, [property: Id(1), Key(1)] DateTime AsOf)
{
    public double ValueAt(DateTime now, TimeSpan halfLife) => Value * Decay(now - AsOf, halfLife);

    /// <summary>Adds a signal, keeping the later of the two times as the reference.</summary>
    public InterestScore Plus(double weight, DateTime at, TimeSpan halfLife) =>
        at >= AsOf
            ? new InterestScore(ValueAt(at, halfLife) + weight, at)
            : new InterestScore(Value + weight * Decay(AsOf - at, halfLife), AsOf);

    private static double Decay(TimeSpan age, TimeSpan halfLife) =>
        Math.Pow(2, -age.TotalSeconds / halfLife.TotalSeconds);
}
