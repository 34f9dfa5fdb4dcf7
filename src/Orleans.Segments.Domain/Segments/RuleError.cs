namespace Orleans.Segments.Domain.Segments;

/// <summary>A problem in a rule's text, pointing at the line and column (both from 1).</summary>
public sealed record RuleError(int Line, int Column, string Message)
{
    public override string ToString() => $"line {Line}, column {Column}: {Message}";
}

/// <summary>Thrown inside the parser; surfaces as a <see cref="RuleError"/>.</summary>
internal sealed class RuleSyntaxException(int position, string message) : Exception(message)
{
    public int Position { get; } = position;
}
