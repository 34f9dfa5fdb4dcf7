using System.Globalization;

namespace Orleans.Segments.Benchmarks.Infrastructure;

/// <summary>How a target is stated and checked: at least or at most a value.</summary>
public sealed record Target(string Text, Func<double, bool> IsMet)
{
    public static Target AtLeast(double value, string unit) => new($">= {Report.Format(value)} {unit}", v => v >= value);

    public static Target AtMost(double value, string unit) => new($"<= {Report.Format(value)} {unit}", v => v <= value);
}

/// <summary>Prints progress and the one-line results that docs/benchmarks.md quotes.</summary>
public static class Report
{
    /// <summary>False in <c>smoke</c>, whose tiny sizes say nothing about the targets.</summary>
    public static bool CheckTargets { get; set; } = true;

    public static void Info(string scenario, string text) => Console.WriteLine($"  [{scenario}] {text}");

    public static void Round(string scenario, int round, int rounds, string text) =>
        Console.WriteLine($"  [{scenario}] round {round}/{rounds}: {text}");

    /// <summary>Prints <c>RESULT scenario: figure median x unit (min, max, n rounds); target ... MET</c>.</summary>
    /// <param name="over">What the values were taken over; default: the rounds.</param>
    public static void Result(string scenario, string figure, Stats stats, string unit, Target? target = null, string? over = null)
    {
        string verdict = target is null ? ""
            : !CheckTargets ? "; target not checked at this size"
            : $"; target {target.Text}: {(target.IsMet(stats.Median) ? "MET" : "NOT MET")}";
        over ??= $"{stats.Rounds} round{(stats.Rounds == 1 ? "" : "s")}";
        Console.WriteLine(
            $"RESULT {scenario}: {figure} median {Format(stats.Median)} {unit} (min {Format(stats.Min)}, max {Format(stats.Max)}, over {over}){verdict}");
    }

    /// <summary>Prints a derived figure that is not itself measured, such as an extrapolation.</summary>
    public static void Derived(string scenario, string text) => Console.WriteLine($"RESULT {scenario}: {text}");

    public static string Format(double value) => Math.Abs(value) switch
    {
        >= 1000 => value.ToString("N0", CultureInfo.InvariantCulture),
        >= 100 => value.ToString("0.#", CultureInfo.InvariantCulture),
        >= 10 => value.ToString("0.##", CultureInfo.InvariantCulture),
        _ => value.ToString("0.###", CultureInfo.InvariantCulture),
    };
}
