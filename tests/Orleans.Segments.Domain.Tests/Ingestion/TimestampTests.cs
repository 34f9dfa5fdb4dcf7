using Microsoft.Extensions.Time.Testing;
using Orleans.Segments.Domain.Events;
using Orleans.Segments.Domain.Ingestion;

namespace Orleans.Segments.Domain.Tests.Ingestion;

public sealed class TimestampTests
{
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2025, 3, 1, 10, 0, 0, TimeSpan.Zero));

    private readonly SegmentMessageParser parser = new(new IngestionLimits());

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    [Fact]
    public void MessageWithoutTimestampHappenedWhenReceived()
    {
        Assert.Equal(Now, Single("""{"userId": "u-1", "event": "A"}""").Timestamp);
    }

    [Fact]
    public void ConvertsAnOffsetToUtc()
    {
        var e = Single("""{"userId": "u-1", "event": "A", "timestamp": "2025-03-01T11:00:00+01:00"}""");

        Assert.Equal(new DateTime(2025, 3, 1, 10, 0, 0, DateTimeKind.Utc), e.Timestamp);
        Assert.Equal(DateTimeKind.Utc, e.Timestamp.Kind);
    }

    [Fact]
    public void FallsBackToOriginalTimestamp()
    {
        var e = Single("""{"userId": "u-1", "event": "A", "originalTimestamp": "2025-03-01T08:00:00Z"}""");

        Assert.Equal(new DateTime(2025, 3, 1, 8, 0, 0, DateTimeKind.Utc), e.Timestamp);
    }

    [Fact]
    public void CorrectsTheDeviceClockSkewWithSentAt()
    {
        var e = Single("""{"userId": "u-1", "event": "A", "timestamp": "2025-03-01T10:00:00Z", "sentAt": "2025-03-01T10:05:00Z"}""");

        Assert.Equal(new DateTime(2025, 3, 1, 9, 55, 0, DateTimeKind.Utc), e.Timestamp);
    }

    [Fact]
    public void BatchSentAtCorrectsEveryMessageWithoutItsOwn()
    {
        var result = parser.ParseBatch(Body.Of("""
            {"sentAt": "2025-03-01T10:05:00Z", "batch": [
              {"type": "track", "userId": "u-1", "event": "A", "timestamp": "2025-03-01T10:00:00Z"},
              {"type": "track", "userId": "u-1", "event": "B", "timestamp": "2025-03-01T10:00:00Z", "sentAt": "2025-03-01T10:01:00Z"}
            ]}
            """), Now);

        Assert.Equal(
            [new DateTime(2025, 3, 1, 9, 55, 0, DateTimeKind.Utc), new DateTime(2025, 3, 1, 9, 59, 0, DateTimeKind.Utc)],
            result.Messages.Select(m => m.Event.Timestamp));
    }

    [Fact]
    public void RejectsATimestampFarInTheFuture()
    {
        var result = Parse("""{"userId": "u-1", "event": "A", "timestamp": "2100-01-01T00:00:00Z"}""");

        Assert.StartsWith("timestamp: 2100-01-01T00:00:00Z is more than 24 hours in the future", Assert.Single(result.Errors));
        Assert.Empty(result.Messages);
    }

    [Fact]
    public void AcceptsATimestampJustWithinTheFutureSkew()
    {
        var e = Single("""{"userId": "u-1", "event": "A", "timestamp": "2025-03-02T10:00:00Z"}""");

        Assert.Equal(Now + TimeSpan.FromDays(1), e.Timestamp);
    }

    [Fact]
    public void RejectsATimestampBeforeTwoThousand()
    {
        var result = Parse("""{"userId": "u-1", "event": "A", "timestamp": "1999-12-31T23:59:59Z"}""");

        Assert.Equal(["timestamp: 1999-12-31T23:59:59Z is before 2000-01-01."], result.Errors);
    }

    [Theory]
    [InlineData("""{"userId": "u-1", "event": "A", "timestamp": "yesterday-ish"}""", "timestamp: not an ISO-8601 date-time.")]
    [InlineData("""{"userId": "u-1", "event": "A", "timestamp": 1740823200}""", "timestamp: must be a string.")]
    [InlineData("""{"userId": "u-1", "event": "A", "sentAt": "soon"}""", "sentAt: not an ISO-8601 date-time.")]
    public void RejectsATimeThatIsNotAnIsoString(string json, string error)
    {
        Assert.Contains(error, Parse(json).Errors);
    }

    [Fact]
    public void CorrectsADeviceClockRunningDaysFastInsteadOfRejectingIt()
    {
        // The device's clock is 3 days ahead: both its timestamp and its sentAt carry the error.
        var e = Single("""{"userId": "u-1", "event": "A", "timestamp": "2025-03-04T09:55:00Z", "sentAt": "2025-03-04T10:00:00Z"}""");

        Assert.Equal(new DateTime(2025, 3, 1, 9, 55, 0, DateTimeKind.Utc), e.Timestamp);
    }

    [Fact]
    public void StoresAWindowsTimeZoneIdAsItsIanaEquivalent()
    {
        var e = Single("""{"userId": "u-1", "event": "A", "context": {"timezone": "W. Europe Standard Time"}}""");

        Assert.Equal("Europe/Berlin", e.TimeZone);
    }

    [Fact]
    public void IgnoresASentAtThatWouldPushTheTimestampOutOfRange()
    {
        var e = Single("""{"userId": "u-1", "event": "A", "timestamp": "2025-03-01T09:00:00Z", "sentAt": "2001-01-01T00:00:00Z"}""");

        Assert.Equal(new DateTime(2025, 3, 1, 9, 0, 0, DateTimeKind.Utc), e.Timestamp);
    }

    [Theory]
    [InlineData("9999-12-31T23:59:59Z")]
    [InlineData("0001-01-01T00:00:00Z")]
    public void ExtremeSentAtIsIgnoredWithoutThrowing(string sentAt)
    {
        var e = Single($$"""{"userId": "u-1", "event": "A", "timestamp": "2025-03-01T09:00:00Z", "sentAt": "{{sentAt}}"}""");

        Assert.Equal(new DateTime(2025, 3, 1, 9, 0, 0, DateTimeKind.Utc), e.Timestamp);
    }

    private ParseResult Parse(string json) => parser.ParseSingle(Body.Of(json), EventKind.Track, Now);

    private UserEvent Single(string json) => Assert.Single(Parse(json).Messages).Event;
}
