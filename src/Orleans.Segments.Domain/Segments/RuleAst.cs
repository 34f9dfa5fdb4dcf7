using System.Globalization;

namespace Orleans.Segments.Domain.Segments;

/// <summary>The types a term of the rule language can have.</summary>
public enum RuleType
{
    Bool,
    Number,
    Duration,
    Distance,
    String,
    /// <summary>A trait: string, number or boolean, known only per user.</summary>
    Any,

    /// <summary>An app or OS version, written as a string ("5.10.1") and ordered by its numbers.</summary>
    Version,
}

public enum CompareOp
{
    Eq,
    NotEq,
    Lt,
    Le,
    Gt,
    Ge,
}

/// <summary>A literal value in a rule. Durations are held in seconds, distances in metres.</summary>
public sealed record Literal(RuleType Type, string? Text, double Number, int Position)
{
    public static Literal Of(string text, int position = 0) => new(RuleType.String, text, 0, position);
    public static Literal Version(string text, int position = 0) => new(RuleType.Version, text, 0, position);
    public static Literal Of(double number, int position = 0) => new(RuleType.Number, null, number, position);
    public static Literal Of(bool value, int position = 0) => new(RuleType.Bool, null, value ? 1 : 0, position);
    public static Literal Of(TimeSpan duration, int position = 0) => new(RuleType.Duration, null, duration.TotalSeconds, position);
    public static Literal Meters(double meters, int position = 0) => new(RuleType.Distance, null, meters, position);

    /// <summary>The duration to the nearest tick (TimeSpan.FromSeconds truncates, which put time thresholds a tick early).</summary>
    public TimeSpan Duration => TimeSpan.FromTicks((long)Math.Round(Number * TimeSpan.TicksPerSecond));

    public bool Bool => Number != 0;

    public string Print() => Type switch
    {
        RuleType.String or RuleType.Version => "\"" + Text!.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"",
        RuleType.Number => PrintNumber(Number),
        RuleType.Bool => Bool ? "true" : "false",
        RuleType.Duration => PrintDuration(Number),
        RuleType.Distance => Number % 1000 == 0 && Number >= 1000
            ? PrintNumber(Number / 1000) + "km"
            : PrintNumber(Number) + "m",
        _ => "?",
    };

    /// <summary>The shortest digits that read back as <paramref name="number"/>, never with an exponent.</summary>
    internal static string PrintNumber(double number)
    {
        string shortest = number.ToString("R", CultureInfo.InvariantCulture);
        int e = shortest.IndexOf('E');
        if (e < 0) return shortest;

        // Why: "R" writes 1E-07 and 1.2E+20, which the lexer reads as a number with the unit "E"; spell the
        // same digits out with the decimal point moved instead.
        string sign = shortest[0] == '-' ? "-" : "";
        string digits = shortest[sign.Length..e].Replace(".", "");
        int point = 1 + int.Parse(shortest.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        if (point <= 0) return sign + "0." + new string('0', -point) + digits;
        if (point >= digits.Length) return sign + digits + new string('0', point - digits.Length);
        return sign + digits[..point] + "." + digits[point..];
    }

    private static string PrintDuration(double seconds)
    {
        foreach (var (unit, size) in new[] { ("w", 604800.0), ("d", 86400.0), ("h", 3600.0), ("m", 60.0) })
        {
            if (seconds != 0 && seconds % size == 0) return PrintNumber(seconds / size) + unit;
        }

        return PrintNumber(seconds) + "s";
    }
}

/// <summary>A function of the user (<c>count("Order Completed", 30d)</c>, <c>stage</c>) with literal arguments.</summary>
public sealed record Term(string Function, IReadOnlyList<Literal> Args, int Position)
{
    public string Print() => Args.Count == 0 && RuleFunctions.IsBareName(Function)
        ? Function
        : $"{Function}({string.Join(", ", Args.Select(a => a.Print()))})";

    public bool Equals(Term? other) =>
        other is not null && Function == other.Function && Args.SequenceEqual(other.Args, LiteralValueComparer.Instance);

    public override int GetHashCode() => Function.GetHashCode();
}

/// <summary>A node of a parsed rule.</summary>
public abstract record RuleNode(int Position)
{
    public abstract string Print();
}

public sealed record AndNode(IReadOnlyList<RuleNode> Items, int Position) : RuleNode(Position)
{
    public override string Print() => string.Join(" and ", Items.Select(i => i is OrNode ? $"({i.Print()})" : i.Print()));
}

public sealed record OrNode(IReadOnlyList<RuleNode> Items, int Position) : RuleNode(Position)
{
    public override string Print() => string.Join(" or ", Items.Select(i => i.Print()));
}

public sealed record NotNode(RuleNode Inner, int Position) : RuleNode(Position)
{
    public override string Print() => Inner is AndNode or OrNode ? $"not ({Inner.Print()})" : $"not {Inner.Print()}";
}

/// <summary>A boolean term used as a condition: <c>has_push_token</c>, <c>inside("station")</c>.</summary>
public sealed record PredicateNode(Term Term, int Position) : RuleNode(Position)
{
    public override string Print() => Term.Print();
}

public sealed record CompareNode(Term Term, CompareOp Op, Literal Value, int Position) : RuleNode(Position)
{
    public override string Print() => $"{Term.Print()} {Symbol(Op)} {Value.Print()}";

    public static string Symbol(CompareOp op) => op switch
    {
        CompareOp.Eq => "=",
        CompareOp.NotEq => "!=",
        CompareOp.Lt => "<",
        CompareOp.Le => "<=",
        CompareOp.Gt => ">",
        _ => ">=",
    };
}

public sealed record InNode(Term Term, IReadOnlyList<Literal> Values, int Position) : RuleNode(Position)
{
    public override string Print() => $"{Term.Print()} in ({string.Join(", ", Values.Select(v => v.Print()))})";
}

/// <summary>Compares literals by value, ignoring where they stood in the text.</summary>
internal sealed class LiteralValueComparer : IEqualityComparer<Literal>
{
    public static readonly LiteralValueComparer Instance = new();

    public bool Equals(Literal? x, Literal? y) =>
        x is not null && y is not null && x.Type == y.Type && x.Text == y.Text && x.Number.Equals(y.Number);

    public int GetHashCode(Literal obj) => HashCode.Combine(obj.Type, obj.Text, obj.Number);
}
