namespace Orleans.Segments.Domain.Segments;

/// <summary>
/// Evaluates a rule by walking its tree, and explains it: the reference the compiled form is tested against,
/// and the answer to "why is (or isn't) this user in the segment?".
/// </summary>
public static class RuleInterpreter
{
    public static bool Evaluate(RuleNode node, RuleContext context) => node switch
    {
        AndNode and => and.Items.All(i => Evaluate(i, context)),
        OrNode or => or.Items.Any(i => Evaluate(i, context)),
        NotNode not => !Evaluate(not.Inner, context),
        PredicateNode p => RuleFunctions.Evaluate(p.Term, context).AsBool,
        CompareNode c => RuleFunctions.Evaluate(c.Term, context).Satisfies(c.Op, c.Value),
        InNode i => i.Values.Any(v => RuleFunctions.Evaluate(i.Term, context).Satisfies(CompareOp.Eq, v)),
        _ => throw new ArgumentOutOfRangeException(nameof(node)),
    };

    /// <summary>The rule's tree with every condition's value for the user and whether each part held.</summary>
    public static Explanation Explain(RuleNode node, RuleContext context) => node switch
    {
        AndNode and => Combine("and", node, and.Items.Select(i => Explain(i, context)).ToArray(), all: true),
        OrNode or => Combine("or", node, or.Items.Select(i => Explain(i, context)).ToArray(), all: false),
        NotNode not => Negate(node, Explain(not.Inner, context)),
        PredicateNode p => Leaf(node, RuleFunctions.Evaluate(p.Term, context), v => v.AsBool),
        CompareNode c => Leaf(node, RuleFunctions.Evaluate(c.Term, context), v => v.Satisfies(c.Op, c.Value)),
        InNode i => Leaf(node, RuleFunctions.Evaluate(i.Term, context), v => i.Values.Any(x => v.Satisfies(CompareOp.Eq, x))),
        _ => throw new ArgumentOutOfRangeException(nameof(node)),
    };

    private static Explanation Leaf(RuleNode node, RuleValue value, Func<RuleValue, bool> holds) =>
        new("condition", node.Print(), holds(value), value.ToString(), []);

    private static Explanation Combine(string kind, RuleNode node, Explanation[] children, bool all) =>
        new(kind, node.Print(), all ? children.All(c => c.Held) : children.Any(c => c.Held), null, children);

    private static Explanation Negate(RuleNode node, Explanation inner) => new("not", node.Print(), !inner.Held, null, [inner]);
}

/// <summary>One node of an explained rule: what it says, whether it held, and the user's value for a condition.</summary>
[GenerateSerializer, Immutable, Alias("segments.Explanation")]
public sealed record Explanation(
    [property: Id(0)] string Kind,
    [property: Id(1)] string Rule,
    [property: Id(2)] bool Held,
    [property: Id(3)] string? Value,
    [property: Id(4)] Explanation[] Children);
