using Orleans.Segments.Domain.Campaigns;
using Orleans.Segments.Domain.Journeys;

namespace Orleans.Segments.Domain.Tests.Journeys;

/// <summary>Which journeys are refused, each with the path of its problem.</summary>
public sealed class JourneyDefinitionTests
{
    private static readonly CampaignMessage Hello = new("Welcome", "Hi {{ traits.name | default: \"there\" }}");

    internal static JourneyDefinition Onboarding() => new(
        "onboarding",
        "Onboarding",
        new JourneyEntry(JourneyEntryKind.Event) { Event = "Signed Up" },
        "welcome",
        [
            new JourneyStep("welcome", JourneyStepKind.Message) { Message = Hello, Next = "day1" },
            new JourneyStep("day1", JourneyStepKind.Wait) { Duration = TimeSpan.FromDays(1), Next = "viewed" },
            new JourneyStep("viewed", JourneyStepKind.Branch) { Rules = [new("count(\"Product Viewed\", 30d) > 0", "day3")], Default = "tip" },
            new JourneyStep("tip", JourneyStepKind.Message) { Message = new("A tip", "Browse the new arrivals"), Next = "day3" },
            new JourneyStep("day3", JourneyStepKind.Wait) { UntilEvent = "Order Completed", Timeout = TimeSpan.FromDays(2), Next = "bought", TimedOut = "offer" },
            new JourneyStep("offer", JourneyStepKind.Message) { Message = new("10 % off", "Your first order"), Next = "bought" },
            new JourneyStep("bought", JourneyStepKind.Exit),
        ])
    {
        Exits = [new JourneyExitCondition(JourneyExitKind.Event) { Event = "Order Completed" }],
        ConversionEvent = "Order Completed",
    };

    [Fact]
    public void TheOnboardingExampleIsValid() => Assert.Empty(Onboarding().Validate());

    [Fact]
    public void ACycleIsRefusedNamingItsSteps()
    {
        var journey = Onboarding() with
        {
            Steps = [.. Onboarding().Steps.Select(s => s.Id == "offer" ? s with { Next = "day1" } : s)],
        };

        var error = Assert.Single(journey.Validate());

        Assert.Contains("day1 → viewed → tip → day3 → offer → day1 is a cycle", error);
    }

    [Fact]
    public void AStepThatCannotBeReachedIsRefusedWithItsPath()
    {
        var journey = Onboarding() with { Steps = [.. Onboarding().Steps, new JourneyStep("orphan", JourneyStepKind.Exit)] };

        Assert.Equal(["steps[7]: \"orphan\" cannot be reached from the start \"welcome\"."], journey.Validate());
    }

    [Fact]
    public void AWaitOverNinetyDaysIsRefused()
    {
        var journey = Onboarding() with { Steps = [.. Onboarding().Steps.Select(s => s.Id == "day1" ? s with { Duration = TimeSpan.FromDays(91) } : s)] };

        Assert.Equal(["steps[1].duration: more than 0 and at most 90 days."], journey.Validate());
    }

    [Fact]
    public void ARuleBranchWithoutADefaultPathIsRefused()
    {
        var journey = Onboarding() with { Steps = [.. Onboarding().Steps.Select(s => s.Id == "viewed" ? s with { Default = null } : s)] };

        Assert.Equal(["steps[2].otherwise: required for a branch step."], journey.Validate());
    }

    [Fact]
    public void ABrokenBranchRuleIsRefusedWithItsColumn()
    {
        var journey = Onboarding() with { Steps = [.. Onboarding().Steps.Select(s => s.Id == "viewed" ? s with { Rules = [new("count(\"Product Viewed\" > ", "day3")] } : s)] };

        var error = Assert.Single(journey.Validate());

        Assert.StartsWith("steps[2].rules[0].rule: line 1, column", error);
    }

    [Fact]
    public void MoreThanFiftyStepsAreRefused()
    {
        var steps = Enumerable.Range(0, 51).Select(i => new JourneyStep($"s{i}", JourneyStepKind.Wait) { Duration = TimeSpan.FromHours(1), Next = $"s{i + 1}" }).ToList();
        steps.Add(new JourneyStep("s51", JourneyStepKind.Exit));

        var errors = (Onboarding() with { Start = "s0", Steps = [.. steps] }).Validate();

        Assert.Contains("steps: 52 steps, at most 50 are allowed.", errors);
    }

    [Fact]
    public void EveryPathMustNameAStepThatExists()
    {
        var journey = Onboarding() with
        {
            Start = "hello",
            Steps = [.. Onboarding().Steps.Select(s => s.Id == "day3" ? s with { TimedOut = "nowhere" } : s)],
        };

        var errors = journey.Validate();

        Assert.Contains("start: no step \"hello\".", errors);
        Assert.Contains("steps[4].timedOut: no step \"nowhere\".", errors);
    }

    [Fact]
    public void AnEventWaitNeedsATimeoutOfAtMostNinetyDaysAndATimedOutPath()
    {
        var journey = Onboarding() with
        {
            Steps = [.. Onboarding().Steps.Select(s => s.Id == "day3" ? s with { Timeout = null, TimedOut = null } : s)],
        };

        var errors = journey.Validate();

        Assert.Contains("steps[4].timeout: required for an event wait (at most 90 days).", errors);
        Assert.Contains("steps[4].timedOut: required for a wait step.", errors);
    }

    [Fact]
    public void AWaitHasExactlyOneKindAndASplitAddsUpToAHundred()
    {
        var journey = Onboarding() with
        {
            Steps =
            [
                .. Onboarding().Steps.Select(s => s.Id switch
                {
                    "day1" => s with { UntilLocalTime = new TimeOnly(9, 0) },
                    "viewed" => s with { Rules = [], Default = null, Split = [new(50, "day3"), new(40, "tip")] },
                    _ => s,
                }),
            ],
        };

        var errors = journey.Validate();

        Assert.Contains("steps[1]: a wait has exactly one of duration, untilLocalTime or untilEvent.", errors);
        Assert.Contains("steps[2].split: the percentages add up to 90, not 100.", errors);
    }

    [Fact]
    public void AMessageWithABrokenTemplateIsRefusedAtItsStep()
    {
        var journey = Onboarding() with { Steps = [.. Onboarding().Steps.Select(s => s.Id == "tip" ? s with { Message = new("Tip", "{{ traits.name ") } : s)] };

        var error = Assert.Single(journey.Validate());

        Assert.StartsWith("steps[3].message: ", error);
    }

    [Fact]
    public void StepIdsAreUniqueAndShortAndHtmlIsNoId()
    {
        var journey = Onboarding() with
        {
            Steps = [.. Onboarding().Steps, new JourneyStep("welcome", JourneyStepKind.Exit), new JourneyStep("<b>x</b>", JourneyStepKind.Exit)],
        };

        var errors = journey.Validate();

        Assert.Contains("steps[7].id: \"welcome\" is the id of an earlier step.", errors);
        Assert.Contains("steps[8].id: 1 to 64 letters, digits, '-' or '_'.", errors);
    }

    [Fact]
    public void TheSegmentsItNamesAreListedForReferenceChecks()
    {
        var journey = Onboarding() with
        {
            Entry = new JourneyEntry(JourneyEntryKind.SegmentEntry) { Segment = "new-users" },
            Exits = [new JourneyExitCondition(JourneyExitKind.SegmentExit) { Segment = "reachable" }],
            AudienceRule = "in_segment(\"vip\")",
        };

        Assert.Equal(["new-users", "reachable", "vip"], journey.References().Where(r => r.Kind == "segment").Select(r => r.Id).Order().ToArray());
    }

    [Fact]
    public void MovingUsersNamesStepsOfThisVersionOnly()
    {
        var journey = Onboarding() with
        {
            MoveUsers = new Dictionary<string, string> { ["day1"] = "welcome", ["gone"] = "nowhere", ["<b>x</b>"] = "tip", ["tip"] = "<script>" },
        };

        var errors = journey.Validate();

        Assert.Contains("moveUsers.gone: no step \"nowhere\" in this version.", errors);
        Assert.Contains(errors, e => e.StartsWith("moveUsers: a key is not a step id", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("moveUsers.tip: not a step id", StringComparison.Ordinal));
        Assert.DoesNotContain(errors, e => e.Contains("<script>", StringComparison.Ordinal) || e.Contains("<b>", StringComparison.Ordinal));
        Assert.DoesNotContain(errors, e => e.StartsWith("moveUsers.day1", StringComparison.Ordinal));
    }

    [Fact]
    public void AMessageStepsVariantsAreCheckedLikeACampaignsAndOnlyMessageStepsHaveThem()
    {
        var journey = Onboarding() with
        {
            Steps = [.. Onboarding().Steps.Select(s => s.Id switch
            {
                "welcome" => s with { Variants = [new("a", 60, Hello), new("b", 30, new CampaignMessage("{{ broken", "x"))] },
                "day1" => s with { Variants = [new("a", 100, Hello)] },
                _ => s,
            })],
        };

        var errors = journey.Validate();

        Assert.Contains("steps[0].variants: the percentages must add up to 100.", errors);
        Assert.Contains(errors, e => e.StartsWith("steps[0].variants.b.", StringComparison.Ordinal));
        Assert.Contains("steps[1].variants: not a field of a wait step.", errors);
    }
}
