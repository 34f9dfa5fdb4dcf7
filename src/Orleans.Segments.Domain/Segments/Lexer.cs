using System.Globalization;
using System.Text;

namespace Orleans.Segments.Domain.Segments;

/// <summary>Splits rule text into tokens.</summary>
internal static class Lexer
{
    public static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        int i = 0;
        while (true)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i])) i++;
            if (i >= text.Length)
            {
                tokens.Add(new Token(TokenKind.End, "", i));
                return tokens;
            }

            char c = text[i];
            int start = i;
            switch (c)
            {
                case '(': tokens.Add(new Token(TokenKind.LParen, "(", i++)); continue;
                case ')': tokens.Add(new Token(TokenKind.RParen, ")", i++)); continue;
                case ',': tokens.Add(new Token(TokenKind.Comma, ",", i++)); continue;
                case '=':
                    i += i + 1 < text.Length && text[i + 1] == '=' ? 2 : 1;
                    tokens.Add(new Token(TokenKind.Eq, "=", start));
                    continue;
                case '!':
                    if (i + 1 < text.Length && text[i + 1] == '=')
                    {
                        tokens.Add(new Token(TokenKind.NotEq, "!=", i));
                        i += 2;
                        continue;
                    }

                    throw new RuleSyntaxException(i, "expected '!=' ('!' alone is not an operator; use 'not').");
                case '<':
                    if (i + 1 < text.Length && text[i + 1] == '=') { tokens.Add(new Token(TokenKind.Le, "<=", i)); i += 2; }
                    else if (i + 1 < text.Length && text[i + 1] == '>') { tokens.Add(new Token(TokenKind.NotEq, "<>", i)); i += 2; }
                    else tokens.Add(new Token(TokenKind.Lt, "<", i++));
                    continue;
                case '>':
                    if (i + 1 < text.Length && text[i + 1] == '=') { tokens.Add(new Token(TokenKind.Ge, ">=", i)); i += 2; }
                    else tokens.Add(new Token(TokenKind.Gt, ">", i++));
                    continue;
                case '"':
                    tokens.Add(ReadString(text, ref i));
                    continue;
            }

            if (char.IsAsciiDigit(c) || ((c == '-' || c == '.') && i + 1 < text.Length && (char.IsAsciiDigit(text[i + 1]) || text[i + 1] == '.')))
            {
                tokens.Add(ReadNumber(text, ref i));
                continue;
            }

            if (char.IsAsciiLetter(c) || c == '_')
            {
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] == '_')) i++;
                tokens.Add(new Token(TokenKind.Identifier, text[start..i], start));
                continue;
            }

            throw new RuleSyntaxException(i, $"unexpected character '{c}'.");
        }
    }

    private static Token ReadString(string text, ref int i)
    {
        int start = i++;
        var value = new StringBuilder();
        while (i < text.Length && text[i] != '"')
        {
            if (text[i] == '\\' && i + 1 < text.Length && (text[i + 1] == '"' || text[i + 1] == '\\'))
            {
                value.Append(text[i + 1]);
                i += 2;
                continue;
            }

            if (text[i] == '\n') throw new RuleSyntaxException(start, "unterminated string: a string ends with '\"' on the same line.");
            value.Append(text[i++]);
        }

        if (i >= text.Length) throw new RuleSyntaxException(start, "unterminated string: expected a closing '\"'.");
        i++;
        return new Token(TokenKind.String, value.ToString(), start);
    }

    private static Token ReadNumber(string text, ref int i)
    {
        int start = i;
        if (text[i] == '-') i++;
        while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.')) i++;
        string digits = text[start..i];
        if (!double.TryParse(digits, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double number) || !double.IsFinite(number))
        {
            throw new RuleSyntaxException(start, $"'{digits}' is not a number.");
        }

        int unitStart = i;
        while (i < text.Length && char.IsAsciiLetter(text[i])) i++;
        if (i == unitStart) return new Token(TokenKind.Number, digits, start, number);

        string unit = text[unitStart..i];
        if (unit is not ("m" or "h" or "d" or "w" or "km" or "s"))
        {
            throw new RuleSyntaxException(unitStart, $"unknown unit '{unit}': durations use s, m, h, d, w and distances m, km.");
        }

        return new Token(TokenKind.Quantity, text[start..i], start, number, unit);
    }
}
