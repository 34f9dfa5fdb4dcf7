using Orleans.Segments.Domain.Events;
using Orleans.Segments.LiveActivities;
using Orleans.Segments.Push.StandIns;

namespace Orleans.Segments.Push.Tests;

/// <summary>
/// Live Activities through the grain and the real APNs sender to the stand-in, which checks what Apple checks
/// for them: the topic with its suffix, push type liveactivity, a timestamp, an event and a content state.
/// </summary>
[Collection(DeliveryCollection.Name)]
public sealed class LiveActivityTests(DeliveryFixture fixture)
{
    private readonly string activityId = "order-" + Guid.NewGuid().ToString("N")[..10];

    private ILiveActivityGrain Activity => fixture.Cluster.Client.GetGrain<ILiveActivityGrain>(LiveActivityGrain.Key("shop", activityId));

    private static LiveActivityRequest Update(string state, bool high = true) =>
        new(false, state, null, null, null, null, null, high);

    private ApnsReceived[] ReceivedBy(string token) => fixture.Apns.Received.Where(r => r.DeviceToken == token).ToArray();

    [Fact]
    public async Task AnUpdateGoesToEveryDeviceAsALiveActivityPushOnTheSuffixedTopic()
    {
        string phone = Credentials.NewApnsToken(), watch = Credentials.NewApnsToken();
        await Activity.Register("user-1", phone);
        await Activity.Register("user-1", watch);
        var stale = fixture.Now.AddMinutes(30);

        var result = await Activity.Push(new LiveActivityRequest(false, """{"status":"on the way","eta":12}""", stale, null, 50, "Your order", "is on the way", true));

        Assert.Equal((LiveActivityOutcome.Ok, 2, 10), (result.Outcome, result.Sent, result.Priority));
        var received = Assert.Single(ReceivedBy(phone));
        Assert.Single(ReceivedBy(watch));
        Assert.Equal($"{Credentials.BundleId}.push-type.liveactivity", received.Headers["apns-topic"]);
        Assert.Equal(("liveactivity", "10"), (received.Headers["apns-push-type"], received.Headers["apns-priority"]));
        var aps = received.Payload.GetProperty("aps");
        Assert.Equal("update", aps.GetProperty("event").GetString());
        Assert.Equal(new DateTimeOffset(fixture.Now).ToUnixTimeSeconds(), aps.GetProperty("timestamp").GetInt64());
        Assert.Equal("on the way", aps.GetProperty("content-state").GetProperty("status").GetString());
        Assert.Equal(12, aps.GetProperty("content-state").GetProperty("eta").GetInt32());
        Assert.Equal(new DateTimeOffset(stale).ToUnixTimeSeconds(), aps.GetProperty("stale-date").GetInt64());
        Assert.Equal(50, aps.GetProperty("relevance-score").GetDouble());
        Assert.Equal("Your order", aps.GetProperty("alert").GetProperty("title").GetString());
    }

    [Fact]
    public async Task PriorityTenIsKeptToTheHourlyBudgetAndLaterUpdatesGoAtFive()
    {
        string phone = Credentials.NewApnsToken();
        await Activity.Register("user-2", phone);

        var results = new List<LiveActivityResult>();
        for (int i = 0; i < 4; i++) results.Add(await Activity.Push(Update($$"""{"step":{{i}}}""")));
        var asked = await Activity.Push(Update("""{"step":9}""", high: false));
        fixture.Time.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));
        var nextHour = await Activity.Push(Update("""{"step":10}"""));

        Assert.Equal([10, 10, 10, 5], results.Select(r => r.Priority));
        Assert.Equal([false, false, false, true], results.Select(r => r.Downgraded));
        Assert.Equal((5, false), (asked.Priority, asked.Downgraded));
        Assert.Equal(10, nextHour.Priority);
        Assert.Equal(["10", "10", "10", "5", "5", "10"], ReceivedBy(phone).Select(r => r.Headers["apns-priority"]));

        // Why: iOS drops an update whose timestamp is not newer than the one it shows; updates within a second still rise.
        var stamps = ReceivedBy(phone).Select(r => r.Payload.GetProperty("aps").GetProperty("timestamp").GetInt64()).ToList();
        Assert.Equal(stamps.Order(), stamps);
        Assert.Equal(stamps.Count, stamps.Distinct().Count());
    }

    [Fact]
    public async Task ATokenApnsCallsGoneIsNeverUsedAgain()
    {
        string phone = Credentials.NewApnsToken(), old = Credentials.NewApnsToken();
        await Activity.Register("user-3", phone);
        await Activity.Register("user-3", old);
        fixture.Apns.Script(old, ApnsAnswer.Unregistered(fixture.Time.GetUtcNow()));

        var first = await Activity.Push(Update("""{"step":1}"""));
        var second = await Activity.Push(Update("""{"step":2}"""));
        var again = await Activity.Register("user-3", old);

        Assert.Equal((1, 1, 1), (first.Sent, first.Failed, first.DeadTokens));
        Assert.Equal((1, 0), (second.Sent, second.Failed));
        Assert.Single(ReceivedBy(old));
        Assert.Equal(2, ReceivedBy(phone).Length);
        Assert.Equal(LiveActivityOutcome.Conflict, again.Outcome);
        Assert.Equal((1, 1), (second.Activity!.LiveTokens, second.Activity.DeadTokens));
    }

    [Fact]
    public async Task TheEndCarriesItsDismissalDateAndNothingIsSentAfterIt()
    {
        string phone = Credentials.NewApnsToken();
        await Activity.Register("user-4", phone);
        var dismissal = fixture.Now.AddHours(1);

        var ended = await Activity.Push(new LiveActivityRequest(true, """{"status":"delivered"}""", null, dismissal, null, null, null, true));
        var late = await Activity.Push(Update("""{"status":"late"}"""));
        var otherUser = await fixture.Cluster.Client.GetGrain<ILiveActivityGrain>(LiveActivityGrain.Key("shop", activityId)).Register("someone-else", Credentials.NewApnsToken());

        Assert.True(ended.Activity!.Ended);
        var aps = Assert.Single(ReceivedBy(phone)).Payload.GetProperty("aps");
        Assert.Equal("end", aps.GetProperty("event").GetString());
        Assert.Equal(new DateTimeOffset(dismissal).ToUnixTimeSeconds(), aps.GetProperty("dismissal-date").GetInt64());
        Assert.Equal(LiveActivityOutcome.Conflict, late.Outcome);
        Assert.Equal(LiveActivityOutcome.Conflict, otherUser.Outcome);
        Assert.Equal(LiveActivityOutcome.NotFound, (await fixture.Cluster.Client.GetGrain<ILiveActivityGrain>(LiveActivityGrain.Key("shop", "never-registered")).Push(Update("{}"))).Outcome);
    }
}
