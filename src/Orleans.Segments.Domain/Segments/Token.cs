namespace Orleans.Segments.Domain.Segments;

internal enum TokenKind
{
    End,
    Identifier,
    String,
    Number,
    /// <summary>A number with a unit: <c>30m</c>, <c>12h</c>, <c>30d</c>, <c>2w</c>, <c>2km</c>.</summary>
    Quantity,
    LParen,
    RParen,
    Comma,
    Eq,
    NotEq,
    Lt,
    Le,
    Gt,
    Ge,
}

internal readonly record struct Token(TokenKind Kind, string Text, int Position, double Number = 0, string? Unit = null)
{
    public string Describe() => Kind switch
    {
        TokenKind.End => "the end of the rule",
        TokenKind.String => $"the string \"{Text}\"",
        _ => $"'{Text}'",
    };
}
