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
    [InlineData("""{"userId": "u-1", "event": "A", "timestamp": "yesterday-ish"}""", "timestamp: 'yesterday-ish' is not an ISO 8601 date-time with a zone, e.g. 2026-03-01T09:30:00.000Z or 2026-03-01T10:30:00+01:00.")]
    [InlineData("""{"userId": "u-1", "event": "A", "timestamp": 1740823200}""", "timestamp: must be a string.")]
    [InlineData("""{"userId": "u-1", "event": "A", "sentAt": "soon"}""", "sentAt: 'soon' is not an ISO 8601 date-time with a zone, e.g. 2026-03-01T09:30:00.000Z or 2026-03-01T10:30:00+01:00.")]
    public void RejectsATimeThatIsNotAnIsoString(string json, string error)
    {
        Assert.Contains(error, Parse(json).Errors);
    }

    [Theory]
    [InlineData("2024-01-01")]
    [InlineData("2024-01-01T03:04:05")]
    [InlineData("2024-01-01T03:04")]
    [InlineData("01/02/2024 03:04:05")]
    [InlineData("Mon, 01 Jan 2024 03:04:05 GMT")]
    [InlineData("2024-W01-1T03:04:05Z")]
    [InlineData("2024-001T03:04:05Z")]
    [InlineData("2024-02-30T03:04:05Z")]
    [InlineData("2024-01-01T24:00:00Z")]
    [InlineData("2024-01-01T03:04:05.Z")]
    [InlineData("2024-01-01T03:04:05+1")]
    [InlineData("2024-01-01T03:04:05+19:00")]
    [InlineData("2024-01-01T03:04:05 Z")]
    [InlineData("+2024-01-01T03:04:05Z")]
    public void RefusesWhatIsNotAnIso8601DateTimeWithAZone(string timestamp)
    {
        var result = Parse($$"""{"userId": "u-1", "event": "A", "timestamp": "{{timestamp}}"}""");

        Assert.Empty(result.Messages);
        Assert.Contains("is not an ISO 8601 date-time with a zone", Assert.Single(result.Errors));
    }

    [Theory]
    [InlineData("2025-03-01T09:30:00Z", "2025-03-01T09:30:00.0000000")]
    [InlineData("2025-03-01T09:30:00.123Z", "2025-03-01T09:30:00.1230000")]
    [InlineData("2025-03-01T09:30:00.123456789Z", "2025-03-01T09:30:00.1234567")]
    [InlineData("2025-03-01t09:30:00z", "2025-03-01T09:30:00.0000000")]
    [InlineData("2025-03-01 10:30:00+01:00", "2025-03-01T09:30:00.0000000")]
    [InlineData("2025-03-01T10:30:00+0100", "2025-03-01T09:30:00.0000000")]
    [InlineData("2025-03-01T04:30:00-05", "2025-03-01T09:30:00.0000000")]
    [InlineData("2025-03-01T09:30Z", "2025-03-01T09:30:00.0000000")]
    [InlineData("2025-03-01T09:30:00,5Z", "2025-03-01T09:30:00.5000000")]
    public void AcceptsIso8601DateTimesWithAZone(string timestamp, string utc)
    {
        var e = Single($$"""{"userId": "u-1", "event": "A", "timestamp": "{{timestamp}}"}""");

        Assert.Equal(utc, e.Timestamp.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(DateTimeKind.Utc, e.Timestamp.Kind);
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
