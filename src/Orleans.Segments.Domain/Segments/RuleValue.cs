namespace Orleans.Segments.Domain.Segments;

/// <summary>
/// The value of a term for one user at one time. Durations are seconds (never-done is +∞); a missing value
/// (no such trait, no location) is <see cref="Missing"/> and makes every comparison false.
/// </summary>
public readonly record struct RuleValue(RuleType Type, double Number, string? Text, bool IsMissing = false)
{
    public static readonly RuleValue Missing = new(RuleType.Any, 0, null, true);

    public static RuleValue Of(bool value) => new(RuleType.Bool, value ? 1 : 0, null);
    public static RuleValue Of(double number) => new(RuleType.Number, number, null);
    public static RuleValue Of(string? text) => text is null ? Missing : new RuleValue(RuleType.String, 0, text);
    public static RuleValue OfVersion(string? text) => text is null ? Missing : new RuleValue(RuleType.Version, 0, text);
    public static RuleValue Of(TimeSpan duration) => new(RuleType.Duration, duration.TotalSeconds, null);
    public static RuleValue Never => new(RuleType.Duration, double.PositiveInfinity, null);

    public bool AsBool => !IsMissing && Type == RuleType.Bool && Number != 0;

    public override string ToString() => IsMissing ? "missing" : Type switch
    {
        RuleType.String or RuleType.Version => Text!,
        RuleType.Bool => Number != 0 ? "true" : "false",
        RuleType.Duration => double.IsPositiveInfinity(Number) ? "never" : Literal.Of(TimeSpan.FromSeconds(Math.Round(Number))).Print(),
        _ => Number.ToString("G6", System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>Compares this value with a literal; a type mismatch (a trait of another type) is false.</summary>
    public bool Satisfies(CompareOp op, Literal literal)
    {
        if (IsMissing) return false;
        if (literal.Type == RuleType.Version || Type == RuleType.Version)
        {
            // Why: a version that cannot be read (an SDK's "unknown") is like a missing one: no condition holds.
            if (Type != RuleType.Version || literal.Type != RuleType.Version || !VersionOrder.TryCompare(Text, literal.Text, out int versionOrder)) return false;
            return Compare(versionOrder, op);
        }

        if (literal.Type == RuleType.String || Type == RuleType.String)
        {
            if (Type != RuleType.String || literal.Type != RuleType.String) return op == CompareOp.NotEq && Type != RuleType.Any;
            int order = string.CompareOrdinal(Text, literal.Text);
            return Compare(order, op);
        }

        if ((literal.Type == RuleType.Bool) != (Type == RuleType.Bool)) return op == CompareOp.NotEq;
        return Compare(Number.CompareTo(literal.Number), op);
    }

    private static bool Compare(int order, CompareOp op) => op switch
    {
        CompareOp.Eq => order == 0,
        CompareOp.NotEq => order != 0,
        CompareOp.Lt => order < 0,
        CompareOp.Le => order <= 0,
        CompareOp.Gt => order > 0,
        _ => order >= 0,
    };
}
