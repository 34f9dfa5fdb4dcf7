using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Orleans.Segments.Domain.Campaigns;
using Orleans.Segments.Domain.Events;
using Orleans.Segments.Domain.Profile;

namespace Orleans.Segments.Domain.Tests.Campaigns;

/// <summary>
/// Model-based tests of <see cref="SendDecider"/>: random runs of requests, time jumps, consent and device
/// changes are fed both to the decider (over a real profile and its ledger) and to <see cref="CapModel"/>;
/// every decision must agree, and the pushes that went out must respect every cap in every rolling window.
/// </summary>
public sealed class CapModelTests
{
    [Property(MaxTest = 1000)]
    public Property DeciderAgreesWithTheModelWithoutQuietHours() =>
        Prop.ForAll(CapScenarioGenerators.Scenarios(quietHours: false), Run);

    [Property(MaxTest = 500)]
    public Property DeciderAgreesWithTheModelUnderQuietHours() =>
        Prop.ForAll(CapScenarioGenerators.Scenarios(quietHours: true), Run);

    private static void Run(CapScenario scenario)
    {
        var now = CapScenario.Start;
        var state = new UserProfileState();
        var model = new CapModel(scenario);
        ProfileUpdater.RegisterDevice(state, Device(CapScenarioGenerators.Tokens[0]), now, UserModelPolicy.Default);
        ProfileUpdater.SetSubscriptions(state, true, true, now);
        model.SetDevice(CapScenarioGenerators.Tokens[0], true);

        var sent = new List<SendRecord>();
        for (int i = 0; i < scenario.Steps.Count; i++)
        {
            switch (scenario.Steps[i])
            {
                case AdvanceStep advance:
                    now += advance.By;
                    break;
                case ConsentStep consent when consent.Category == MessageCategory.Marketing:
                    ProfileUpdater.SetSubscriptions(state, consent.Given, null, now);
                    model.MarketingConsent = consent.Given;
                    break;
                case ConsentStep consent:
                    ProfileUpdater.SetSubscriptions(state, null, consent.Given, now);
                    model.TransactionalConsent = consent.Given;
                    break;
                case DeviceStep { Added: true } device:
                    ProfileUpdater.RegisterDevice(state, Device(device.Token), now, UserModelPolicy.Default);
                    model.SetDevice(device.Token, true);
                    break;
                case DeviceStep device:
                    ProfileUpdater.RemoveDevice(state, device.Token);
                    model.SetDevice(device.Token, false);
                    break;
                case RequestStep request:
                    var decision = SendDecider.Decide(state, scenario.Request(request, now), now, scenario.Caps, scenario.QuietHours, $"n{i}");
                    var expected = model.Decide(request, now);
                    var actual = CapOutcome.Of(decision);
                    Assert.True(expected.Contains(actual),
                        $"step {i} at {now:O}, {request}: the model expects {string.Join(" or ", expected)}, the decider said {actual} (\"{decision.Detail}\")");
                    if (decision.Reservation is { } reservation)
                    {
                        model.Record(request, now);
                        sent.Add(reservation);
                        AssertCapsHold(scenario, sent, [now], $"after step {i}");
                    }

                    break;
            }

            Assert.True(
                state.Sends.Sent.Zip(state.Sends.Sent.Skip(1)).All(p => p.First.At <= p.Second.At),
                $"after step {i} the ledger is out of time order");
        }

        AssertCapsHold(scenario, sent, sent.Select(s => s.At).Distinct().ToArray(), "at the end");
    }

    /// <summary>
    /// No rolling window ending at any of <paramref name="ends"/> holds more pushes than a cap allows, no two
    /// pushes are closer than the minimum gap, and no occurrence went out twice within 90 days. Why windows
    /// ending at pushes suffice: a window holds the most when it ends at one, and as pushes are only added at
    /// the present, checking the window ending now after each push covers every step in between.
    /// </summary>
    private static void AssertCapsHold(CapScenario scenario, List<SendRecord> sent, DateTime[] ends, string when)
    {
        foreach (var end in ends)
        {
            foreach (var rule in scenario.Caps.Marketing)
            {
                int count = sent.Count(s => s.Category == MessageCategory.Marketing && CapModel.InWindow(s.At, end, rule.Window));
                Assert.True(count <= rule.Limit, $"{when}: {count} marketing pushes in the {rule.Window} up to {end:O}, the cap is {rule.Limit}");
            }

            foreach (var (campaign, cap) in scenario.Campaigns)
            {
                if (cap is null) continue;
                int count = sent.Count(s => s.CampaignId == campaign && (cap.Window is not { } w || CapModel.InWindow(s.At, end, w)));
                Assert.True(count <= cap.Limit, $"{when}: {count} pushes of campaign {campaign} up to {end:O}, its cap is {cap}");
            }
        }

        var ordered = sent.OrderBy(s => s.At).ToList();
        Assert.True(
            ordered.Zip(ordered.Skip(1)).All(p => p.Second.At - p.First.At >= scenario.Caps.MinimumGap),
            $"{when}: two pushes closer than the minimum gap of {scenario.Caps.MinimumGap}");
        Assert.True(
            ordered.GroupBy(s => (s.CampaignId, s.Occurrence)).All(g => g.Zip(g.Skip(1)).All(p => p.Second.At - p.First.At >= CapModel.Remembered)),
            $"{when}: an occurrence went out twice within {CapModel.Remembered.TotalDays} days");
    }

    private static DeviceToken Device(string token) => new(token, PushPlatform.Ios);
}
