using Microsoft.Extensions.Time.Testing;
using Orleans.Segments.Domain.Events;
using Orleans.Segments.Domain.Ingestion;

namespace Orleans.Segments.Domain.Tests.Ingestion;

public sealed class ParseBatchTests
{
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2025, 3, 1, 10, 0, 0, TimeSpan.Zero));

    private readonly SegmentMessageParser parser = new(new IngestionLimits());

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    [Fact]
    public void ReadsABatchOfMixedTypesInOrder()
    {
        var result = Parse("""
            {"writeKey": "wk-1", "batch": [
              {"type": "identify", "userId": "u-1", "traits": {"plan": "pro"}},
              {"type": "track", "userId": "u-1", "event": "Order Completed"},
              {"type": "page", "anonymousId": "a-1", "name": "Home"},
              {"type": "screen", "userId": "u-2", "name": "Settings"},
              {"type": "alias", "userId": "u-1", "previousId": "a-1"},
              {"type": "group", "userId": "u-1", "groupId": "g-1"}
            ]}
            """);

        Assert.True(result.IsValid);
        Assert.Equal("wk-1", result.WriteKey);
        Assert.Equal(
            [EventKind.Identify, EventKind.Track, EventKind.Page, EventKind.Screen, EventKind.Alias, EventKind.Group],
            result.Messages.Select(m => m.Event.Kind));
        Assert.Equal(["u-1", "u-1", "a-1", "u-2", "u-1", "u-1"], result.Messages.Select(m => m.User.Id));
    }

    [Fact]
    public void WrongTypesAreReportedWithTheirPath()
    {
        var result = Parse("""
            {"batch": [
              {"type": "track", "userId": "u-1", "event": "A"},
              {"type": "track", "userId": {"id": 1}, "anonymousId": "a-1", "event": "B"},
              {"type": "track", "userId": "u-3", "event": "C", "properties": [1, 2]},
              {"type": "track", "userId": "u-4", "event": 42}
            ]}
            """);

        Assert.Equal(
            ["batch[1].userId: must be a string.", "batch[2].properties: must be an object.", "batch[3].event: must be a string."],
            result.Errors);
    }

    [Fact]
    public void OneBadMessageYieldsNoMessagesAtAll()
    {
        var result = Parse("""
            {"batch": [
              {"type": "track", "userId": "u-1", "event": "A"},
              {"type": "track", "event": "B"},
              {"type": "track", "userId": "u-3", "event": "C"}
            ]}
            """);

        Assert.Equal(["batch[1].userId: userId or anonymousId is required."], result.Errors);
        Assert.Empty(result.Messages);
    }

    [Fact]
    public void RejectsAnItemThatIsNotAnObject()
    {
        var result = Parse("""{"batch": [{"type": "track", "userId": "u-1", "event": "A"}, 7]}""");

        Assert.Equal(["batch[1]: must be an object."], result.Errors);
    }

    [Fact]
    public void RejectsAnUnknownType()
    {
        var result = Parse("""{"batch": [{"type": "purchase", "userId": "u-1"}]}""");

        Assert.Equal(["batch[0].type: must be one of track, identify, page, screen, alias, group."], result.Errors);
    }

    [Theory]
    [InlineData("""{"batch": {"type": "track"}}""")]
    [InlineData("""{"batch": null}""")]
    [InlineData("""{"messages": []}""")]
    public void RejectsABatchThatIsNotAnArray(string json)
    {
        Assert.Equal(["batch: must be an array of messages."], Parse(json).Errors);
    }

    [Fact]
    public void RejectsAnEmptyBatch()
    {
        Assert.Equal(["batch: must hold at least one message."], Parse("""{"batch": []}""").Errors);
    }

    [Fact]
    public void RejectsARootThatIsNotAnObject()
    {
        Assert.Equal(["body: must be a JSON object."], Parse("""[]""").Errors);
    }

    [Fact]
    public void RejectsAMessageLargerThanThirtyTwoKilobytes()
    {
        string padding = new('x', 33 * 1024);
        var result = Parse($$$"""
            {"batch": [
              {"type": "track", "userId": "u-1", "event": "A"},
              {"type": "track", "userId": "u-1", "event": "B", "properties": {"note": "{{{padding}}}"}}
            ]}
            """);

        Assert.Equal(["batch[1]: message is larger than 32 KB."], result.Errors);
        Assert.Empty(result.Messages);
    }

    [Fact]
    public void MeasuresTheMessageLimitInBytesNotCharacters()
    {
        // 20,000 two-byte characters: 40,000 bytes on the wire, under 32 K characters.
        string padding = new('é', 20_000);
        var result = Parse($$$"""
            {"batch": [{"type": "track", "userId": "u-1", "event": "B", "properties": {"note": "{{{padding}}}"}}]}
            """);

        Assert.Equal(["batch[0]: message is larger than 32 KB."], result.Errors);
    }

    [Fact]
    public void AcceptsAMessageJustUnderThirtyTwoKilobytes()
    {
        string padding = new('x', 31 * 1024);
        var result = Parse($$$"""
            {"batch": [{"type": "track", "userId": "u-1", "event": "B", "properties": {"note": "{{{padding}}}"}}]}
            """);

        Assert.True(result.IsValid);
    }

    private ParseResult Parse(string json) => parser.ParseBatch(Body.Of(json), Now);
}
