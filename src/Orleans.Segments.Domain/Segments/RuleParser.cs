using Orleans.Segments.Domain.Lifecycle;

namespace Orleans.Segments.Domain.Segments;

/// <summary>The outcome of parsing a rule: the tree, or the errors with line and column.</summary>
public sealed record ParsedRule(string Text, RuleNode? Root, IReadOnlyList<RuleError> Errors)
{
    public bool IsValid => Root is not null && Errors.Count == 0;

    /// <summary>Every term in the rule, in order.</summary>
    public IEnumerable<Term> Terms => Root is null ? [] : RuleParser.TermsOf(Root);

    /// <summary>The segments named by <c>in_segment</c>.</summary>
    public IEnumerable<string> SegmentReferences => Terms.Where(t => t.Function == "in_segment").Select(t => t.Args[0].Text!).Distinct();

    /// <summary>The geofences named by <c>inside</c>.</summary>
    public IEnumerable<string> GeofenceReferences => Terms.Where(t => t.Function == "inside").Select(t => t.Args[0].Text!).Distinct();
}

/// <summary>
/// Parses and type-checks the rule language (grammar in docs/segments.md):
/// <code>
/// rule      = or
/// or        = and { "or" and }
/// and       = unary { "and" unary }
/// unary     = "not" unary | "(" or ")" | condition
/// condition = term [ op literal | "in" "(" literal { "," literal } ")" ]
/// term      = name [ "(" [ literal { "," literal } ] ")" ]
/// </code>
/// </summary>
public sealed class RuleParser
{
    /// <summary>The longest rule text accepted.</summary>
    public const int MaxLength = 4000;

    /// <summary>The deepest nesting of parentheses and <c>not</c>.</summary>
    public const int MaxDepth = 32;

    /// <summary>The most conditions in one rule.</summary>
    public const int MaxConditions = 64;

    private static readonly TimeSpan MaxWindow = TimeSpan.FromDays(90);

    private readonly string text;
    private readonly List<Token> tokens;
    private int index;
    private int depth;
    private int conditions;

    private RuleParser(string text, List<Token> tokens)
    {
        this.text = text;
        this.tokens = tokens;
    }

    public static ParsedRule Parse(string? text)
    {
        text ??= "";
        if (text.Length > MaxLength) return Fail(text, 0, $"the rule is longer than {MaxLength} characters.");
        if (string.IsNullOrWhiteSpace(text)) return Fail(text, 0, "the rule is empty.");
        try
        {
            var parser = new RuleParser(text, Lexer.Tokenize(text));
            var root = parser.ParseOr();
            if (parser.Current.Kind != TokenKind.End)
            {
                throw new RuleSyntaxException(parser.Current.Position, $"expected 'and', 'or' or the end of the rule, found {parser.Current.Describe()}.");
            }

            return new ParsedRule(text, root, []);
        }
        catch (RuleSyntaxException ex)
        {
            return Fail(text, ex.Position, ex.Message);
        }
    }

    public static IEnumerable<Term> TermsOf(RuleNode node) => node switch
    {
        AndNode a => a.Items.SelectMany(TermsOf),
        OrNode o => o.Items.SelectMany(TermsOf),
        NotNode n => TermsOf(n.Inner),
        PredicateNode p => [p.Term],
        CompareNode c => [c.Term],
        InNode i => [i.Term],
        _ => [],
    };

    private static ParsedRule Fail(string text, int position, string message)
    {
        var (line, column) = LineAndColumn(text, position);
        return new ParsedRule(text, null, [new RuleError(line, column, message)]);
    }

    private static (int Line, int Column) LineAndColumn(string text, int position)
    {
        int line = 1, column = 1;
        for (int i = 0; i < position && i < text.Length; i++)
        {
            if (text[i] == '\n') { line++; column = 1; }
            else column++;
        }

        return (line, column);
    }

    private Token Current => tokens[index];

    private Token Next() => tokens[index++];

    private bool IsKeyword(string keyword) => Current.Kind == TokenKind.Identifier && Current.Text == keyword;

    private RuleNode ParseOr()
    {
        int position = Current.Position;
        var items = new List<RuleNode> { ParseAnd() };
        while (IsKeyword("or"))
        {
            Next();
            items.Add(ParseAnd());
        }

        return items.Count == 1 ? items[0] : new OrNode(items, position);
    }

    private RuleNode ParseAnd()
    {
        int position = Current.Position;
        var items = new List<RuleNode> { ParseUnary() };
        while (IsKeyword("and"))
        {
            Next();
            items.Add(ParseUnary());
        }

        return items.Count == 1 ? items[0] : new AndNode(items, position);
    }

    private RuleNode ParseUnary()
    {
        if (++depth > MaxDepth) throw new RuleSyntaxException(Current.Position, $"the rule nests deeper than {MaxDepth} levels.");
        try
        {
            var token = Current;
            if (IsKeyword("not"))
            {
                Next();
                return new NotNode(ParseUnary(), token.Position);
            }

            if (token.Kind == TokenKind.LParen)
            {
                Next();
                var inner = ParseOr();
                Expect(TokenKind.RParen, "')' to close the '(' at column " + LineAndColumn(text, token.Position).Column);
                return inner;
            }

            return ParseCondition();
        }
        finally
        {
            depth--;
        }
    }

    private RuleNode ParseCondition()
    {
        if (++conditions > MaxConditions) throw new RuleSyntaxException(Current.Position, $"the rule has more than {MaxConditions} conditions.");
        var term = ParseTerm(out var signature);
        var opToken = Current;
        if (IsKeyword("in"))
        {
            Next();
            Expect(TokenKind.LParen, "'(' after 'in'");
            var values = new List<Literal> { ParseValue(term, signature) };
            while (Current.Kind == TokenKind.Comma)
            {
                Next();
                values.Add(ParseValue(term, signature));
            }

            Expect(TokenKind.RParen, "',' or ')' in the list after 'in'");
            return new InNode(term, values, term.Position);
        }

        CompareOp? op = opToken.Kind switch
        {
            TokenKind.Eq => CompareOp.Eq,
            TokenKind.NotEq => CompareOp.NotEq,
            TokenKind.Lt => CompareOp.Lt,
            TokenKind.Le => CompareOp.Le,
            TokenKind.Gt => CompareOp.Gt,
            TokenKind.Ge => CompareOp.Ge,
            _ => null,
        };

        if (op is null)
        {
            if (signature.Result == RuleType.Bool) return new PredicateNode(term, term.Position);
            throw new RuleSyntaxException(opToken.Position,
                $"expected a comparison after {term.Function} (a {Describe(signature.Result)}), found {opToken.Describe()}.");
        }

        Next();
        var valueToken = Current;
        var value = ParseValue(term, signature);
        bool ordered = op is CompareOp.Lt or CompareOp.Le or CompareOp.Gt or CompareOp.Ge;
        if (ordered && (signature.Result is RuleType.String or RuleType.Bool || value.Type is RuleType.String or RuleType.Bool))
        {
            throw new RuleSyntaxException(opToken.Position, $"'{CompareNode.Symbol(op.Value)}' compares numbers, durations and versions; use = or != with {Describe(value.Type)}s.");
        }

        _ = valueToken;
        return new CompareNode(term, op.Value, value, term.Position);
    }

    private Term ParseTerm(out FunctionSignature signature)
    {
        var name = Current;
        if (name.Kind != TokenKind.Identifier || name.Text is "and" or "or" or "not" or "in" or "true" or "false")
        {
            throw new RuleSyntaxException(name.Position, $"expected a condition such as stage = \"loyal\" or count(\"Order Completed\", 30d) >= 3, found {name.Describe()}.");
        }

        if (!RuleFunctions.All.TryGetValue(name.Text, out signature!))
        {
            throw new RuleSyntaxException(name.Position, $"unknown function '{name.Text}'; known: {string.Join(", ", RuleFunctions.All.Keys)}.");
        }

        Next();
        var args = new List<Literal>();
        if (Current.Kind == TokenKind.LParen)
        {
            Next();
            if (Current.Kind != TokenKind.RParen)
            {
                args.Add(ParseArgument(signature, args.Count, name));
                while (Current.Kind == TokenKind.Comma)
                {
                    Next();
                    args.Add(ParseArgument(signature, args.Count, name));
                }
            }

            Expect(TokenKind.RParen, $"',' or ')' in the arguments of {name.Text}");
        }

        if (args.Count != signature.Parameters.Length)
        {
            throw new RuleSyntaxException(name.Position, $"{name.Text} takes {signature.Parameters.Length} argument(s): {signature.Help}.");
        }

        var term = new Term(name.Text, args, name.Position);
        CheckArguments(term, name.Position);
        return term;
    }

    private Literal ParseArgument(FunctionSignature signature, int position, Token name)
    {
        if (position >= signature.Parameters.Length)
        {
            throw new RuleSyntaxException(Current.Position, $"{name.Text} takes {signature.Parameters.Length} argument(s): {signature.Help}.");
        }

        var expected = signature.Parameters[position];
        var literal = ParseLiteral(expected);
        if (literal.Type != expected)
        {
            throw new RuleSyntaxException(literal.Position, $"argument {position + 1} of {name.Text} must be {Article(expected)}: {signature.Help}.");
        }

        return literal;
    }

    private static void CheckArguments(Term term, int position)
    {
        var a = term.Args;
        switch (term.Function)
        {
            case "count" or "sum":
                var window = a[^1];
                if (window.Number <= 0 || window.Duration > MaxWindow)
                {
                    throw new RuleSyntaxException(window.Position, $"the window of {term.Function} must be more than 0 and at most 90d.");
                }

                break;
            case "near":
                if (!Events.GeoPoint.IsValid(a[0].Number, a[1].Number))
                {
                    throw new RuleSyntaxException(a[0].Position, "near needs a latitude within ±90 and a longitude within ±180.");
                }

                if (a[2].Number <= 0 || a[2].Number > 20_000_000)
                {
                    throw new RuleSyntaxException(a[2].Position, "the distance of near must be more than 0 and at most 20000km.");
                }

                break;
            case "subscribed" when a[0].Text is not ("marketing" or "transactional"):
                throw new RuleSyntaxException(a[0].Position, "subscribed takes \"marketing\" or \"transactional\".");
        }

        if (a.Any(l => l.Type == RuleType.String && l.Text!.Length is 0 or > 256))
        {
            throw new RuleSyntaxException(position, $"the names given to {term.Function} must be 1 to 256 characters.");
        }
    }

    /// <summary>Parses the value a term is compared with, checking that its type fits the term.</summary>
    private Literal ParseValue(Term term, FunctionSignature signature)
    {
        var expected = signature.Result == RuleType.Any ? (RuleType?)null : signature.Result;
        var literal = ParseLiteral(expected ?? RuleType.Any);
        if (signature.Result == RuleType.Version && literal.Type != RuleType.String)
        {
            throw new RuleSyntaxException(literal.Position, $"{term.Function} is a version: compare it with a version in quotes, such as \"5.10\".");
        }

        if (signature.Result == RuleType.Version)
        {
            if (VersionOrder.Problem(literal.Text!) is { } problem) throw new RuleSyntaxException(literal.Position, problem);
            literal = Literal.Version(literal.Text!, literal.Position);
        }

        bool fits = signature.Result switch
        {
            RuleType.Any => literal.Type is RuleType.String or RuleType.Number or RuleType.Bool,
            var t => literal.Type == t,
        };

        if (!fits)
        {
            throw new RuleSyntaxException(literal.Position, $"{term.Function} is {Article(signature.Result)} and cannot be compared with {Article(literal.Type)}.");
        }

        if (term.Function == "stage" && !LifecycleStageNames.TryParse(literal.Text!, out _))
        {
            throw new RuleSyntaxException(literal.Position, $"'{literal.Text}' is not a stage; stages are new, active, loyal, at_risk, lapsed.");
        }

        return literal;
    }

    /// <summary>Reads a literal; a quantity with unit m is minutes where a duration is expected, metres where a distance is.</summary>
    private Literal ParseLiteral(RuleType expected)
    {
        var token = Next();
        switch (token.Kind)
        {
            case TokenKind.String:
                return Literal.Of(token.Text, token.Position);
            case TokenKind.Number:
                return Literal.Of(token.Number, token.Position);
            case TokenKind.Identifier when token.Text is "true" or "false":
                return Literal.Of(token.Text == "true", token.Position);
            case TokenKind.Quantity:
                if (token.Unit is "km" || (token.Unit is "m" && expected == RuleType.Distance))
                {
                    return Literal.Meters(token.Unit == "km" ? token.Number * 1000 : token.Number, token.Position);
                }

                double seconds = token.Unit switch
                {
                    "s" => 1,
                    "m" => 60,
                    "h" => 3600,
                    "d" => 86400,
                    _ => 604800,
                };

                // Why: to the nearest tick (TimeSpan.FromSeconds truncates, so a printed 0.8352312s read back as
                // 0.8352311s), and beyond TimeSpan's range (about 29,000 years) an error rather than a crash.
                double ticks = Math.Round(token.Number * seconds * TimeSpan.TicksPerSecond);
                if (Math.Abs(ticks) >= long.MaxValue)
                {
                    throw new RuleSyntaxException(token.Position, $"'{token.Text}' is too long a duration.");
                }

                return Literal.Of(TimeSpan.FromTicks((long)ticks), token.Position);
            default:
                throw new RuleSyntaxException(token.Position, $"expected {Article(expected)} value, found {token.Describe()}.");
        }
    }

    private void Expect(TokenKind kind, string what)
    {
        if (Current.Kind != kind) throw new RuleSyntaxException(Current.Position, $"expected {what}, found {Current.Describe()}.");
        Next();
    }

    private static string Describe(RuleType type) => type switch
    {
        RuleType.Bool => "condition",
        RuleType.Number => "number",
        RuleType.Duration => "duration",
        RuleType.Distance => "distance",
        RuleType.String => "string",
        RuleType.Version => "version",
        _ => "trait",
    };

    private static string Article(RuleType type) => type switch
    {
        RuleType.Bool => "a true/false",
        RuleType.Number => "a number",
        RuleType.Duration => "a duration (30m, 12h, 30d, 2w)",
        RuleType.Distance => "a distance (500m, 2km)",
        RuleType.String => "a string",
        RuleType.Version => "a version in quotes, such as \"5.10.1\"",
        _ => "a string, number or true/false",
    };
}
