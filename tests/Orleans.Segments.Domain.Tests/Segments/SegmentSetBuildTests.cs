using Orleans.Segments.Domain.Segments;

namespace Orleans.Segments.Domain.Tests.Segments;

public sealed class SegmentSetBuildTests
{
    [Fact]
    public void SegmentsInACycleAreLeftOutWithAProblemEach()
    {
        var problems = new List<string>();

        var set = Build(problems, ("a", """in_segment("b")"""), ("b", """in_segment("a") or has_push_token"""), ("c", "has_push_token"));

        Assert.Equal(["c"], set.Ordered.Select(s => s.Id));
        Assert.Contains("""b: in_segment("a") names a missing segment or forms a cycle.""", problems);
        Assert.Contains("""a: in_segment("b") names a missing segment or forms a cycle.""", problems);
    }

    [Fact]
    public void SegmentNamingItselfIsLeftOut()
    {
        var problems = new List<string>();

        var set = Build(problems, ("loop", """in_segment("loop") or has_push_token"""));

        Assert.Empty(set.Ordered);
        Assert.Equal(["""loop: in_segment("loop") names a missing segment or forms a cycle."""], problems);
    }

    [Fact]
    public void SegmentDependingOnACycleIsLeftOutToo()
    {
        var problems = new List<string>();

        var set = Build(problems, ("a", """in_segment("b")"""), ("b", """in_segment("a")"""), ("z", """in_segment("a")"""));

        Assert.Empty(set.Ordered);
        Assert.Contains("""z: in_segment("a") names a missing segment or forms a cycle.""", problems);
    }

    [Fact]
    public void SegmentNamingAMissingOrInvalidSegmentIsLeftOut()
    {
        var problems = new List<string>();

        var set = Build(problems, ("a", """in_segment("nowhere")"""), ("b", """in_segment("broken")"""), ("broken", "stage >="));

        Assert.Empty(set.Ordered);
        Assert.Contains("broken: line 1, column 9: expected a string value, found the end of the rule.", problems);
        Assert.Contains("""a: in_segment("nowhere") names a missing segment or forms a cycle.""", problems);
        Assert.Contains("""b: in_segment("broken") names a missing segment or forms a cycle.""", problems);
    }

    [Fact]
    public void SegmentsComeAfterTheSegmentsTheyName()
    {
        var set = Build(null, ("a", """in_segment("m") and in_segment("z")"""), ("m", """in_segment("z")"""), ("z", "has_push_token"));

        Assert.Equal(["z", "m", "a"], set.Ordered.Select(s => s.Id));
        Assert.Equal(["m", "z"], set.Find("a")!.DependsOn);
    }

    [Fact]
    public void SegmentIsTimeDependentWhenAnyOfItsFunctionsIs()
    {
        var set = Build(null, ("pro", """trait("plan") = "pro" """), ("recent", """trait("plan") = "pro" and since_last_seen < 1d"""));

        Assert.False(set.Find("pro")!.TimeDependent);
        Assert.True(set.Find("recent")!.TimeDependent);
        Assert.True(set.AnyTimeDependent);
    }

    private static SegmentSet Build(List<string>? problems, params (string Id, string Rule)[] segments) =>
        SegmentSet.Build(7, segments.Select(s => new SegmentDefinition(s.Id, s.Id, s.Rule)), problems);
}
