namespace Orleans.Segments.Server.Console.Shared;

/// <summary>A bar chart drawn as SVG by the server (<c>_BarChart</c>): no script, no library, readable without colour.</summary>
public sealed record BarChart(string Title, IReadOnlyList<double> Values, IReadOnlyList<string> Labels, string Unit)
{
    public const double Width = 600, Height = 160, Left = 40, Bottom = 20;

    public double Max => Values.Count == 0 ? 0 : Values.Max();

    /// <summary>The top of the scale: the maximum rounded up to a readable number.</summary>
    public double Top
    {
        get
        {
            if (Max <= 0) return 1;
            double magnitude = Math.Pow(10, Math.Floor(Math.Log10(Max)));
            foreach (double step in new[] { 1, 2, 2.5, 5, 10 })
            {
                if (step * magnitude >= Max) return step * magnitude;
            }

            return 10 * magnitude;
        }
    }

    public double BarWidth => Values.Count == 0 ? 0 : (Width - Left) / Values.Count;

    public double BarHeight(double value) => (Height - Bottom) * value / Top;

    /// <summary>The bars whose labels are written under the axis; null: about eight, evenly spread.</summary>
    public IReadOnlySet<int>? Ticks { get; init; }

    /// <summary>Which labels are written under the axis, so they never overlap.</summary>
    public bool ShowsLabel(int index) => Ticks is { } ticks
        ? ticks.Contains(index)
        : Labels.Count <= 8 || index % (int)Math.Ceiling(Labels.Count / 8.0) == 0 || index == Labels.Count - 1;
}
