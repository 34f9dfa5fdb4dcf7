using FsCheck;
using FsCheck.Fluent;
using Orleans.Segments.Domain.Segments;

namespace Orleans.Segments.Domain.Tests.Segments.Generators;

/// <summary>
/// Writes a rule tree as text the way people type it: any whitespace between tokens (line breaks included),
/// <c>==</c> and <c>&lt;&gt;</c> for <c>=</c> and <c>!=</c>, and redundant parentheses; needed ones always.
/// </summary>
internal static class RuleTextGenerators
{
    private static readonly Gen<string> Space = Gen.Frequency(
        (6, Gen.Constant(" ")),
        (1, Gen.Elements("  ", "\t", "\n", "\r\n  ", " \n\t")));

    private static readonly Gen<string> Gap = Gen.Frequency((4, Gen.Constant("")), (1, Space));

    public static Gen<string> Text(RuleNode node) =>
        from text in Node(node)
        from before in Gap
        from after in Gap
        select before + text + after;

    private static Gen<string> Node(RuleNode node) =>
        from text in Bare(node)
        from wrap in Gen.Frequency((6, Gen.Constant(false)), (1, Gen.Constant(true)))
        from inner in Gap
        select wrap ? "(" + inner + text + inner + ")" : text;

    private static Gen<string> Bare(RuleNode node) => node switch
    {
        AndNode a => Join(a.Items.Select(i => i is OrNode ? Parenthesized(i) : Node(i)), "and"),
        OrNode o => Join(o.Items.Select(Node), "or"),
        NotNode n =>
            from inner in n.Inner is AndNode or OrNode ? Parenthesized(n.Inner) : Node(n.Inner)
            from space in Space
            select "not" + space + inner,
        PredicateNode p => Term(p.Term),
        CompareNode c =>
            from term in Term(c.Term)
            from op in Operator(c.Op)
            from left in Gap
            from right in Gap
            select term + left + op + right + c.Value.Print(),
        InNode i =>
            from term in Term(i.Term)
            from space in Space
            from inner in Gap
            select term + space + "in" + inner + "(" + string.Join("," + inner, i.Values.Select(v => v.Print())) + ")",
        _ => throw new ArgumentOutOfRangeException(nameof(node)),
    };

    private static Gen<string> Parenthesized(RuleNode node) =>
        from text in Node(node)
        from inner in Gap
        select "(" + inner + text + inner + ")";

    private static Gen<string> Join(IEnumerable<Gen<string>> items, string keyword) =>
        items.Aggregate(Gen.Constant(""), (sofar, item) =>
            from before in sofar
            from text in item
            from left in Space
            from right in Space
            select before.Length == 0 ? text : before + left + keyword + right + text);

    private static Gen<string> Term(Term term) =>
        from bare in Gen.Elements(true, false)
        from gap in Gap
        select term.Args.Count == 0 && bare
            ? term.Function
            : term.Function + "(" + gap + string.Join("," + gap, term.Args.Select(a => a.Print())) + gap + ")";

    private static Gen<string> Operator(CompareOp op) => op switch
    {
        CompareOp.Eq => Gen.Elements("=", "=="),
        CompareOp.NotEq => Gen.Elements("!=", "<>"),
        _ => Gen.Constant(CompareNode.Symbol(op)),
    };
}
