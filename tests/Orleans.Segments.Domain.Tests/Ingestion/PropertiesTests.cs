using Microsoft.Extensions.Time.Testing;
using Orleans.Segments.Domain.Events;
using Orleans.Segments.Domain.Ingestion;

namespace Orleans.Segments.Domain.Tests.Ingestion;

public sealed class PropertiesTests
{
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2025, 3, 1, 10, 0, 0, TimeSpan.Zero));

    private readonly SegmentMessageParser parser = new(new IngestionLimits());

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    [Fact]
    public void ExtractsProductCategoriesLowercaseAndOnce()
    {
        var e = Single("""
            {"category": " Shoes ", "products": [{"category": "BAGS"}, {"category": "shoes"}, {"sku": "x"}, "junk", {"category": 3}]}
            """);

        Assert.Equal(["shoes", "bags"], e.Categories!);
    }

    [Fact]
    public void EventWithoutCategoriesHasNone()
    {
        Assert.Null(Single("""{"revenue": 3}""").Categories);
    }

    [Fact]
    public void RejectsProductsThatAreNotAnArray()
    {
        var result = Parse("""{"products": {"category": "shoes"}}""");

        Assert.Equal(["properties.products: must be an array."], result.Errors);
    }

    [Fact]
    public void KeepsTheNotificationIdAnOpenedPushCarries()
    {
        Assert.Equal("n_0123abcd", Single("""{"notification_id": "n_0123abcd", "campaign_id": "sale"}""").NotificationId);
        Assert.Null(Single("""{"revenue": 3}""").NotificationId);
    }

    [Theory]
    [InlineData("""{"notification_id": 42}""")]
    [InlineData("""{"notification_id": ""}""")]
    [InlineData("""{"notification_id": ["n_1"]}""")]
    public void RejectsANotificationIdThatIsNotAShortString(string properties)
    {
        Assert.Equal(["properties.notification_id: must be a string of 1 to 128 characters."], Parse(properties).Errors);
    }

    [Fact]
    public void KeepsOnlyFiniteTopLevelNumbers()
    {
        var e = Single("""{"revenue": 30.5, "quantity": -2, "huge": 1e400, "name": "x", "nested": {"n": 1}}""");

        Assert.Equal(new Dictionary<string, double> { ["revenue"] = 30.5, ["quantity"] = -2 }, e.Numbers);
    }

    [Fact]
    public void KeepsAtMostTheConfiguredNumberOfNumbers()
    {
        string properties = "{" + string.Join(", ", Enumerable.Range(0, 40).Select(i => $"\"p{i}\": {i}")) + "}";

        Assert.Equal(32, Single(properties).Numbers!.Count);
    }

    [Fact]
    public void RejectsPropertiesThatAreAnArray()
    {
        Assert.Equal(["properties: must be an object."], Parse("[1, 2]").Errors);
    }

    [Fact]
    public void KeepsATraitNumberTooLargeForADoubleAsItsJsonText()
    {
        var result = parser.ParseSingle(Body.Of("""{"userId": "u-1", "traits": {"score": 1e400}}"""), EventKind.Identify, Now);

        var trait = Assert.Single(result.Messages).Event.Traits!["score"];
        Assert.Equal(TraitValue.OfJson("1e400", Now), trait);
    }

    private ParseResult Parse(string properties) =>
        parser.ParseSingle(Body.Of("""{"userId": "u-1", "event": "Product Viewed", "properties": """ + properties + "}"), EventKind.Track, Now);

    private UserEvent Single(string properties) => Assert.Single(Parse(properties).Messages).Event;
}
