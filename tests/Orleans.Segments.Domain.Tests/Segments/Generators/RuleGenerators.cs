using FsCheck;
using FsCheck.Fluent;
using Orleans.Segments.Domain.Segments;
using static Orleans.Segments.Domain.Tests.Segments.Generators.Vocabulary;

namespace Orleans.Segments.Domain.Tests.Segments.Generators;

/// <summary>
/// Random well-typed rule trees: every function of <see cref="RuleFunctions.All"/>, arguments of the types its
/// signature asks for (within the parser's checks), and compared values of the type it returns.
/// </summary>
internal static class RuleGenerators
{
    private static readonly CompareOp[] AllOps = Enum.GetValues<CompareOp>();

    private static readonly CompareOp[] EqualityOps = [CompareOp.Eq, CompareOp.NotEq];

    private static readonly FunctionSignature[] Functions = RuleFunctions.All.Values.ToArray();

    /// <summary>A rule of and/or/not up to <paramref name="depth"/> levels over at most 3^depth conditions.</summary>
    public static Gen<RuleNode> Rule(int depth) => Rule(depth, Functions);

    /// <summary>A rule as <see cref="Rule(int)"/> of the functions <paramref name="allowed"/> only.</summary>
    public static Gen<RuleNode> Rule(int depth, Func<FunctionSignature, bool> allowed) => Rule(depth, Functions.Where(allowed).ToArray());

    private static Gen<RuleNode> Rule(int depth, FunctionSignature[] functions) => depth == 0
        ? Condition(functions)
        : Gen.Frequency(
            (3, Condition(functions)),
            (2, Items(depth, functions).Select(items => (RuleNode)new AndNode(items, 0))),
            (2, Items(depth, functions).Select(items => (RuleNode)new OrNode(items, 0))),
            (1, Rule(depth - 1, functions).Select(inner => (RuleNode)new NotNode(inner, 0))));

    private static Gen<RuleNode> Condition(FunctionSignature[] functions) =>
        Gen.Elements(functions).SelectMany(f => Arguments(f).SelectMany(args => Shape(new Term(f.Name, args, 0), f)));

    private static Gen<RuleNode[]> Items(int depth, FunctionSignature[] functions) =>
        Gen.Choose(2, 3).SelectMany(n => Gen.ListOf(Rule(depth - 1, functions), n)).Select(items => items.ToArray());

    private static Gen<Literal[]> Arguments(FunctionSignature f)
    {
        var args = Gen.Constant(Array.Empty<Literal>());
        for (int i = 0; i < f.Parameters.Length; i++)
        {
            var next = Argument(f.Name, i, f.Parameters[i]);
            args = args.SelectMany(before => next.Select(a => before.Append(a).ToArray()));
        }

        return args;
    }

    private static Gen<Literal> Argument(string function, int index, RuleType type) => (function, index, type) switch
    {
        ("count" or "sum", _, RuleType.Duration) => Window,
        ("near", 0, _) => Latitude,
        ("near", 1, _) => Longitude,
        ("near", _, _) => Radius,
        ("subscribed", _, _) => Strings("marketing", "transactional"),
        ("sum", 1, _) => Names(Properties),
        ("count" or "sum" or "since_last", 0, _) => Names(Vocabulary.Events),
        ("trait" or "has_trait", _, _) => Names(Traits),
        ("interest", _, _) => Names(Categories),
        ("inside", _, _) => Names(Fences),
        ("in_segment", _, _) => Names(SegmentIds),
        _ => throw new ArgumentOutOfRangeException(nameof(function), $"{function} argument {index} of type {type} has no generator."),
    };

    private static Gen<RuleNode> Shape(Term term, FunctionSignature f)
    {
        var value = Value(f.Name, f.Result);
        var compare =
            from op in Gen.Elements(f.Result is RuleType.Number or RuleType.Duration or RuleType.Any or RuleType.Version ? AllOps : EqualityOps)
            from v in value
            select (RuleNode)new CompareNode(term, IsOrdered(op) && v.Type is not (RuleType.Number or RuleType.Duration or RuleType.Version) ? CompareOp.Eq : op, v, 0);
        var list =
            from n in Gen.Choose(1, 3)
            from values in Gen.ListOf(value, n)
            select (RuleNode)new InNode(term, values.ToArray(), 0);

        return f.Result == RuleType.Bool
            ? Gen.Frequency((6, Gen.Constant((RuleNode)new PredicateNode(term, 0))), (1, compare), (1, list))
            : Gen.Frequency((5, compare), (1, list));
    }

    private static Gen<Literal> Value(string function, RuleType type) => (function, type) switch
    {
        ("stage", _) => Strings(Stages),
        ("top_interest", _) => Names(Categories),
        ("timezone", _) => Strings(TimeZones),
        ("city", _) => Strings(Cities),
        ("country", _) => Strings(Countries),
        ("app_version" or "os_version", _) => Gen.Elements("5.9.3", "5.10", "5.2", "5.2.0-beta.1", "17", "17.4.1").Select(v => Literal.Version(v)),
        ("app_build", _) => Gen.Elements("7", "45", "100").Select(v => Literal.Version(v)),
        ("os_name", _) => Strings("iOS", "iPadOS", "Android"),
        ("locale", _) => Strings(Locales.OfType<string>().ToArray()),
        ("language", _) => Strings(LanguageCodes),
        ("platform", _) => Strings(Platforms),
        ("device_model", _) => Strings(Models.OfType<string>().ToArray()),
        ("trait", _) => Gen.OneOf(Strings(Plans), Numbers(0, 100), Bools, Numbers(-2, 2)),
        ("interest", _) => Gen.Choose(0, 20).Select(i => Literal.Of(i / 20.0)),
        ("sum", _) => Gen.Frequency((4, Numbers(0, 600)), (1, Awkward)),
        (_, RuleType.Number) => Gen.Frequency((6, Numbers(0, 6)), (1, Awkward)),
        (_, RuleType.Duration) => Duration,
        (_, RuleType.Bool) => Bools,
        _ => throw new ArgumentOutOfRangeException(nameof(function), $"{function} of type {type} has no value generator."),
    };

    private static bool IsOrdered(CompareOp op) => op is CompareOp.Lt or CompareOp.Le or CompareOp.Gt or CompareOp.Ge;

    private static Gen<Literal> Names(string[] names) => Gen.Frequency((8, Strings(names)), (1, Strings(Odd)));

    private static Gen<Literal> Strings(params string[] values) => Gen.Elements(values).Select(v => Literal.Of(v));

    private static Gen<Literal> Numbers(int min, int max) => Gen.Choose(min, max).Select(i => Literal.Of((double)i));

    private static Gen<Literal> Bools => Gen.Elements(true, false).Select(b => Literal.Of(b));

    /// <summary>Numbers a printer could spell with an exponent or lose digits of.</summary>
    private static Gen<Literal> Awkward =>
        Gen.Elements(0.5, 0.1 + 0.2, 1e-7, 2.5e-5, 1e15, 1e16, 1.2345678901234567e20, -0.0, -3.25).Select(n => Literal.Of(n));

    /// <summary>A window of count or sum: more than 0 and at most 90 days.</summary>
    private static Gen<Literal> Window => Gen.OneOf(
        Gen.Choose(1, 90).Select(d => Literal.Of(TimeSpan.FromDays(d))),
        Gen.Choose(1, 12).Select(w => Literal.Of(TimeSpan.FromDays(7 * w))),
        Gen.Choose(1, 72).Select(h => Literal.Of(TimeSpan.FromHours(h))),
        Gen.Choose(1, 600).Select(m => Literal.Of(TimeSpan.FromMinutes(m))));

    private static Gen<Literal> Duration => Gen.Frequency(
        (6, Gen.Choose(0, 60).Select(d => Literal.Of(TimeSpan.FromDays(d)))),
        (2, Gen.Choose(1, 72).Select(h => Literal.Of(TimeSpan.FromHours(h)))),
        (1, Gen.Choose(1, 600).Select(m => Literal.Of(TimeSpan.FromMinutes(m)))),
        (1, Gen.Choose(1, 3).Select(w => Literal.Of(TimeSpan.FromDays(7 * w)))),
        (1, Gen.Choose(1, 10_000_000).Select(t => Literal.Of(TimeSpan.FromTicks(t)))));

    private static Gen<Literal> Latitude => Gen.Frequency(
        (3, Gen.Choose(-200, 200).Select(i => Literal.Of(52.52 + i / 1000.0))),
        (1, Gen.Choose(-90_000, 90_000).Select(i => Literal.Of(i / 1000.0))));

    private static Gen<Literal> Longitude => Gen.Frequency(
        (3, Gen.Choose(-200, 200).Select(i => Literal.Of(13.405 + i / 1000.0))),
        (1, Gen.Choose(-180_000, 180_000).Select(i => Literal.Of(i / 1000.0))));

    private static Gen<Literal> Radius => Gen.Frequency(
        (2, Gen.Elements(500.0, 2000.0).Select(m => Literal.Meters(m))),
        (2, Gen.Choose(1, 50_000).Select(m => Literal.Meters(m))),
        (1, Gen.Choose(1, 20_000).Select(km => Literal.Meters(km * 1000.0))));
}
