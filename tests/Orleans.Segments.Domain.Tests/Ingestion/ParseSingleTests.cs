using Microsoft.Extensions.Time.Testing;
using Orleans.Segments.Domain.Events;
using Orleans.Segments.Domain.Ingestion;

namespace Orleans.Segments.Domain.Tests.Ingestion;

public sealed class ParseSingleTests
{
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2025, 3, 1, 10, 0, 0, TimeSpan.Zero));

    private readonly SegmentMessageParser parser = new(new IngestionLimits());

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    [Fact]
    public void ReadsATrackCall()
    {
        var result = Parse(EventKind.Track, """
            {"userId": "u-1", "anonymousId": "a-1", "event": "Order Completed", "messageId": "m-1",
             "timestamp": "2025-03-01T09:00:00Z", "properties": {"revenue": 30, "currency": "EUR"}}
            """);

        var (user, e) = Assert.Single(result.Messages);
        Assert.Equal(new UserRef("u-1", false), user);
        Assert.Equal((EventKind.Track, "m-1", "Order Completed"), (e.Kind, e.MessageId, e.Name));
        Assert.Equal(new DateTime(2025, 3, 1, 9, 0, 0, DateTimeKind.Utc), e.Timestamp);
        Assert.Equal(new Dictionary<string, double> { ["revenue"] = 30 }, e.Numbers);
        Assert.Equal("a-1", e.AnonymousId);
    }

    [Fact]
    public void ReadsAnIdentifyCallWithTypedTraits()
    {
        var result = Parse(EventKind.Identify, """
            {"userId": "u-1", "traits": {"plan": "pro", "age": 41, "vip": true, "email": null, "address": {"city": "Paris"}}}
            """);

        var e = Assert.Single(result.Messages).Event;
        Assert.Equal(EventKind.Identify, e.Kind);
        Assert.Equal(Now, e.Timestamp);
        Assert.Equal(TraitValue.Of("pro", Now), e.Traits!["plan"]);
        Assert.Equal(TraitValue.Of(41, Now), e.Traits["age"]);
        Assert.Equal(TraitValue.Of(true, Now), e.Traits["vip"]);
        Assert.Equal(TraitValue.Null(Now), e.Traits["email"]);
        Assert.Equal(TraitValue.OfJson("""{"city": "Paris"}""", Now), e.Traits["address"]);
    }

    [Fact]
    public void ReadsAPageCallFromAnAnonymousUser()
    {
        var result = Parse(EventKind.Page, """{"anonymousId": "a-1", "name": "Home"}""");

        var (user, e) = Assert.Single(result.Messages);
        Assert.Equal(new UserRef("a-1", true), user);
        Assert.Equal((EventKind.Page, "Home"), (e.Kind, e.Name));
        Assert.Null(e.AnonymousId);
    }

    [Fact]
    public void ReadsAScreenCall()
    {
        var result = Parse(EventKind.Screen, """{"userId": "u-1", "name": "Settings"}""");

        var e = Assert.Single(result.Messages).Event;
        Assert.Equal((EventKind.Screen, "Settings"), (e.Kind, e.Name));
    }

    [Fact]
    public void ReadsAnAliasCallWithThePreviousIdAsAnonymousId()
    {
        var result = Parse(EventKind.Alias, """{"userId": "u-1", "previousId": "a-1"}""");

        var (user, e) = Assert.Single(result.Messages);
        Assert.Equal(new UserRef("u-1", false), user);
        Assert.Equal((EventKind.Alias, "a-1"), (e.Kind, e.AnonymousId));
    }

    [Fact]
    public void RejectsAnAliasWithoutPreviousId()
    {
        var result = Parse(EventKind.Alias, """{"userId": "u-1"}""");

        Assert.Equal(["previousId: alias needs the previousId."], result.Errors);
    }

    [Fact]
    public void ReadsAGroupCall()
    {
        var result = Parse(EventKind.Group, """{"userId": "u-1", "groupId": "g-1"}""");

        Assert.Equal(EventKind.Group, Assert.Single(result.Messages).Event.Kind);
    }

    [Fact]
    public void AcceptsANumericUserIdAsItsText()
    {
        var result = Parse(EventKind.Track, """{"userId": 12345, "event": "App Opened"}""");

        Assert.Equal(new UserRef("12345", false), Assert.Single(result.Messages).User);
    }

    [Fact]
    public void GivesAMessageWithoutIdAFreshOne()
    {
        var result = Parse(EventKind.Track, """{"userId": "u-1", "event": "App Opened"}""");

        Assert.False(string.IsNullOrEmpty(Assert.Single(result.Messages).Event.MessageId));
    }

    [Fact]
    public void RejectsAMessageWithoutUserIdOrAnonymousId()
    {
        var result = Parse(EventKind.Track, """{"event": "App Opened", "userId": ""}""");

        Assert.Equal(["userId: userId or anonymousId is required."], result.Errors);
        Assert.Empty(result.Messages);
    }

    [Fact]
    public void RejectsATrackWithoutEventName()
    {
        var result = Parse(EventKind.Track, """{"userId": "u-1"}""");

        Assert.Equal(["event: a track call needs an event name."], result.Errors);
    }

    [Fact]
    public void RejectsAnEventNameThatIsANumber()
    {
        var result = Parse(EventKind.Track, """{"userId": "u-1", "event": 42}""");

        Assert.Equal(["event: must be a string."], result.Errors);
    }

    [Theory]
    [InlineData("userId", """{"userId": "u\u0000-1", "event": "App Opened"}""")]
    [InlineData("anonymousId", """{"anonymousId": "a\n-1", "event": "App Opened"}""")]
    [InlineData("messageId", """{"userId": "u-1", "messageId": "m\u001f-1", "event": "App Opened"}""")]
    public void RejectsControlCharactersInIds(string field, string json)
    {
        var result = Parse(EventKind.Track, json);

        Assert.Contains($"{field}: contains control characters.", result.Errors);
        Assert.Empty(result.Messages);
    }

    [Fact]
    public void RejectsAnIdLongerThanTheLimit()
    {
        var result = Parse(EventKind.Track, $$"""{"userId": "{{new string('u', 257)}}", "event": "App Opened"}""");

        Assert.Contains("userId: longer than 256 characters.", result.Errors);
    }

    [Fact]
    public void ReadsTheWriteKeyFromTheBody()
    {
        var result = Parse(EventKind.Track, """{"writeKey": "wk-1", "userId": "u-1", "event": "App Opened"}""");

        Assert.Equal("wk-1", result.WriteKey);
    }

    [Fact]
    public void RejectsARootThatIsNotAnObject()
    {
        var result = Parse(EventKind.Track, """[{"userId": "u-1", "event": "App Opened"}]""");

        Assert.Equal(["body: must be a JSON object."], result.Errors);
    }

    [Fact]
    public void RejectsMalformedJson()
    {
        var result = Parse(EventKind.Track, """{"userId": "u-1", "event": """);

        Assert.StartsWith("body: malformed JSON", Assert.Single(result.Errors));
        Assert.Empty(result.Messages);
    }

    private ParseResult Parse(EventKind kind, string json) => parser.ParseSingle(Body.Of(json), kind, Now);
}
