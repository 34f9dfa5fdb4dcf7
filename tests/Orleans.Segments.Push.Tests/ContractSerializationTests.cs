using Microsoft.Extensions.DependencyInjection;
using Orleans.Segments.Domain.Events;
using Orleans.Segments.Push.Delivery;
using Orleans.Serialization;

namespace Orleans.Segments.Push.Tests;

/// <summary>Messages and outcomes cross grain boundaries (campaigns will send and collect them), so they must survive Orleans' serializer.</summary>
public sealed class ContractSerializationTests
{
    private readonly Serializer serializer = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();

    [Fact]
    public void EveryOutcomeSurvivesTheRoundTrip()
    {
        var report = new UserDeliveryReport(
        [
            new DeviceOutcome("a1", PushPlatform.Ios, new Delivered("2F1A...", 2)),
            new DeviceOutcome("b2", PushPlatform.Android, new PermanentFailure("FCM 404 UNREGISTERED", true, Credentials.Start.UtcDateTime, 1)),
            new DeviceOutcome("c3", PushPlatform.Ios, new TransientFailure("APNs 429 TooManyRequests", 1, TimeSpan.FromMinutes(5))),
            new DeviceOutcome("d4", PushPlatform.Ios, new Rejected("the payload is 5000 bytes; APNs allows 4096")),
        ]);

        var copy = serializer.Deserialize<UserDeliveryReport>(serializer.SerializeToArray(report))!;

        Assert.Equal(report.Devices, copy.Devices);
        Assert.Equal("Delivered", copy.Devices[0].Outcome.Reason);
    }

    [Fact]
    public void MessageSurvivesTheRoundTrip()
    {
        var message = new PushMessage
        {
            Title = "t", Subtitle = "s", Body = "b", Badge = 1, Sound = "default", Category = "c", ThreadId = "th", MutableContent = true,
            ContentAvailable = true, Data = new() { ["k"] = "v" }, Priority = PushPriority.Normal, TimeToLive = TimeSpan.FromHours(2),
            CollapseId = "x", AndroidChannelId = "ch",
        };

        var copy = serializer.Deserialize<PushMessage>(serializer.SerializeToArray(message))!;

        Assert.Equal(message with { Data = copy.Data }, copy);
        Assert.Equal("v", copy.Data!["k"]);
    }
}
