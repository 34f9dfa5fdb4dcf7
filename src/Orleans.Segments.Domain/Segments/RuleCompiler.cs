namespace Orleans.Segments.Domain.Segments;

/// <summary>
/// Compiles a parsed rule once into closures: function dispatch, argument decoding and operator choice happen
/// here, so evaluating a rule for a user is a chain of direct calls.
/// </summary>
public static class RuleCompiler
{
    public static Func<RuleContext, bool> Compile(RuleNode node) => node switch
    {
        AndNode and => CompileAnd(and.Items.Select(Compile).ToArray()),
        OrNode or => CompileOr(or.Items.Select(Compile).ToArray()),
        NotNode not => CompileNot(Compile(not.Inner)),
        PredicateNode p => CompilePredicate(CompileTerm(p.Term)),
        CompareNode c => CompileCompare(CompileTerm(c.Term), c.Op, c.Value),
        InNode i => CompileIn(CompileTerm(i.Term), i.Values.ToArray()),
        _ => throw new ArgumentOutOfRangeException(nameof(node)),
    };

    /// <summary>The term as a closure with its arguments decoded once.</summary>
    public static Func<RuleContext, RuleValue> CompileTerm(Term term)
    {
        var a = term.Args;
        switch (term.Function)
        {
            case "stage": return RuleFunctions.Stage;
            case "time_in_stage": return RuleFunctions.TimeInStage;
            case "trait": { string name = a[0].Text!; return c => RuleFunctions.Trait(c, name); }
            case "has_trait": { string name = a[0].Text!; return c => RuleFunctions.HasTrait(c, name); }
            case "count": { string e = a[0].Text!; var w = a[1].Duration; return c => RuleFunctions.Count(c, e, w); }
            case "sum": { string e = a[0].Text!, p = a[1].Text!; var w = a[2].Duration; return c => RuleFunctions.Sum(c, e, p, w); }
            case "since_last": { string e = a[0].Text!; return c => RuleFunctions.SinceLast(c, e); }
            case "since_first_seen": return c => RuleFunctions.Since(c, c.State.Activity.FirstSeen);
            case "since_last_seen": return c => RuleFunctions.Since(c, c.State.Activity.LastSeen);
            case "interest": { string cat = a[0].Text!; return c => RuleFunctions.Interest(c, cat); }
            case "top_interest": return RuleFunctions.TopInterest;
            case "inside": { string fence = a[0].Text!; return c => RuleFunctions.Inside(c, fence); }
            case "near": { double lat = a[0].Number, lon = a[1].Number, m = a[2].Number; return c => RuleFunctions.Near(c, lat, lon, m); }
            case "timezone": return c => RuleValue.Of(c.State.TimeZone);
            case "city": return c => RuleValue.Of(c.State.Location?.Point.City);
            case "country": return c => RuleValue.Of(c.State.Location?.Point.Country);
            case "has_push_token": return RuleFunctions.HasPushToken;
            case "subscribed": { string kind = a[0].Text!; return c => RuleFunctions.Subscribed(c, kind); }
            case "in_segment": { string id = a[0].Text!; return c => RuleValue.Of(c.InSegment(id)); }
            case "app_version": return RuleFunctions.AppVersion;
            case "app_build": return RuleFunctions.AppBuild;
            case "os_name": return RuleFunctions.OsName;
            case "os_version": return RuleFunctions.OsVersion;
            case "locale": return RuleFunctions.Locale;
            case "language": return RuleFunctions.Language;
            case "platform": return RuleFunctions.Platform;
            case "device_model": return RuleFunctions.DeviceModel;
            default: throw new ArgumentOutOfRangeException(nameof(term), term.Function, "Unknown function.");
        }
    }

    private static Func<RuleContext, bool> CompileAnd(Func<RuleContext, bool>[] items)
    {
        if (items.Length == 2)
        {
            var (first, second) = (items[0], items[1]);
            return c => first(c) && second(c);
        }

        return c =>
        {
            foreach (var item in items)
            {
                if (!item(c)) return false;
            }

            return true;
        };
    }

    private static Func<RuleContext, bool> CompileOr(Func<RuleContext, bool>[] items) => c =>
    {
        foreach (var item in items)
        {
            if (item(c)) return true;
        }

        return false;
    };

    private static Func<RuleContext, bool> CompileNot(Func<RuleContext, bool> inner) => c => !inner(c);

    private static Func<RuleContext, bool> CompilePredicate(Func<RuleContext, RuleValue> term) => c => term(c).AsBool;

    private static Func<RuleContext, bool> CompileCompare(Func<RuleContext, RuleValue> term, CompareOp op, Literal value)
    {
        if (value.Type is RuleType.Number or RuleType.Duration && op is not (CompareOp.Eq or CompareOp.NotEq))
        {
            // Why: ordered comparisons with a number are the hot path (count, sum, since_last); only a numeric
            // value can satisfy them, which is what Satisfies decides in the general case.
            double threshold = value.Number;
            return op switch
            {
                CompareOp.Ge => c => IsNumeric(term(c), out double v) && v >= threshold,
                CompareOp.Gt => c => IsNumeric(term(c), out double v) && v > threshold,
                CompareOp.Le => c => IsNumeric(term(c), out double v) && v <= threshold,
                _ => c => IsNumeric(term(c), out double v) && v < threshold,
            };
        }

        return c => term(c).Satisfies(op, value);
    }

    private static bool IsNumeric(RuleValue value, out double number)
    {
        number = value.Number;
        return !value.IsMissing && value.Type is RuleType.Number or RuleType.Duration;
    }

    private static Func<RuleContext, bool> CompileIn(Func<RuleContext, RuleValue> term, Literal[] values) => c =>
    {
        var v = term(c);
        foreach (var value in values)
        {
            if (v.Satisfies(CompareOp.Eq, value)) return true;
        }

        return false;
    };
}
