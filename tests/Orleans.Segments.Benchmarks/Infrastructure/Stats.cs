namespace Orleans.Segments.Benchmarks.Infrastructure;

/// <summary>The median, minimum and maximum of one figure over the rounds of a scenario.</summary>
public readonly record struct Stats(double Median, double Min, double Max, int Rounds)
{
    public static Stats Of(IReadOnlyCollection<double> values)
    {
        if (values.Count == 0) throw new InvalidOperationException("No rounds were measured.");
        var sorted = values.Order().ToArray();
        int mid = sorted.Length / 2;
        double median = sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
        return new Stats(median, sorted[0], sorted[^1], sorted.Length);
    }

    /// <summary>The nearest-rank percentile <paramref name="p"/> (0-100) of <paramref name="sorted"/>.</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double p)
    {
        if (sorted.Count == 0) return double.NaN;
        int rank = (int)Math.Ceiling(p / 100 * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }
}
