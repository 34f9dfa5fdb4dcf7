using System.Text;
using Microsoft.Extensions.Time.Testing;
using Orleans.Segments.Domain.Events;
using Orleans.Segments.Domain.Ingestion;

namespace Orleans.Segments.Domain.Tests.Ingestion;

public sealed class HostileBodyTests
{
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2025, 3, 1, 10, 0, 0, TimeSpan.Zero));

    private readonly SegmentMessageParser parser = new(new IngestionLimits());

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    [Theory]
    [InlineData("empty body")]
    [InlineData("whitespace")]
    [InlineData("null literal")]
    [InlineData("byte order mark")]
    [InlineData("random bytes")]
    [InlineData("invalid UTF-8 in a string")]
    [InlineData("invalid UTF-8 in a property name")]
    [InlineData("unterminated string")]
    [InlineData("deeply nested objects")]
    [InlineData("deeply nested arrays")]
    [InlineData("huge numbers")]
    [InlineData("huge numeric ids")]
    [InlineData("a thousand digits")]
    [InlineData("extreme timestamps")]
    [InlineData("path-like time zone")]
    [InlineData("time zone with a NUL")]
    [InlineData("overlong device token")]
    [InlineData("duplicate keys")]
    public void NeverThrows(string hostile)
    {
        var body = Hostile(hostile);

        foreach (var result in Parse(body))
        {
            Assert.True(result.IsValid || result.Messages.Count == 0, "an invalid body must yield no messages");
        }
    }

    [Fact]
    public void RejectsJsonNestedDeeperThanTheLimitCleanly()
    {
        string nested = new string('[', 40) + new string(']', 40);
        var result = parser.ParseSingle(Body.Of("""{"userId": "u-1", "event": "A", "properties": {"deep": """ + nested + "}}"), EventKind.Track, Now);

        Assert.StartsWith("body: malformed JSON", Assert.Single(result.Errors));
    }

    [Fact]
    public void AcceptsJsonNestedWithinTheLimit()
    {
        string nested = new string('[', 20) + new string(']', 20);
        var result = parser.ParseSingle(Body.Of("""{"userId": "u-1", "event": "A", "properties": {"deep": """ + nested + "}}"), EventKind.Track, Now);

        Assert.True(result.IsValid);
    }

    [Fact]
    public void RejectsInvalidUtf8()
    {
        byte[] body = [.. """{"userId": "u-"""u8, 0xFF, 0xFE, .. "\", \"event\": \"A\"}"u8];

        var result = parser.ParseSingle(body, EventKind.Track, Now);

        Assert.Equal("body: not valid UTF-8 (the first invalid byte is at offset 14).", Assert.Single(result.Errors));
        Assert.Empty(result.Messages);
    }

    [Fact]
    public void RejectsAnEmptyBody()
    {
        Assert.StartsWith("body: malformed JSON", Assert.Single(parser.ParseBatch(ReadOnlyMemory<byte>.Empty, Now).Errors));
    }

    private IEnumerable<ParseResult> Parse(byte[] body)
    {
        foreach (var kind in Enum.GetValues<EventKind>()) yield return parser.ParseSingle(body, kind, Now);
        yield return parser.ParseBatch(body, Now);
        yield return parser.ParseBatch(Encoding.UTF8.GetBytes("{\"batch\": [" + Encoding.UTF8.GetString(body) + "]}"), Now);
    }

    private static byte[] Hostile(string name) => name switch
    {
        "empty body" => [],
        "whitespace" => Utf8("  \r\n\t "),
        "null literal" => Utf8("null"),
        "byte order mark" => [0xEF, 0xBB, 0xBF, .. Utf8("""{"userId": "u-1", "event": "A", "type": "track"}""")],
        "random bytes" => RandomBytes(),
        "invalid UTF-8 in a string" => [.. Utf8("""{"type": "track", "userId": "u-"""), 0xC3, 0x28, .. Utf8("\", \"event\": \"A\"}")],
        "invalid UTF-8 in a property name" => [.. Utf8("""{"type": "track", "userId": "u-1", "event": "A", "properties": {"p"""), 0xFF, .. Utf8("\": 1}}")],
        "unterminated string" => Utf8("""{"type": "track", "userId": "u-1, "event": "A"}"""),
        "deeply nested objects" => Utf8(string.Concat(Enumerable.Repeat("{\"a\":", 10_000)) + "1" + new string('}', 10_000)),
        "deeply nested arrays" => Utf8(new string('[', 100_000)),
        "huge numbers" => Utf8("""
            {"type": "identify", "userId": "u-1", "traits": {"n": 1e400, "m": -1e400},
             "properties": {"n": 1e400}, "context": {"location": {"latitude": 1e400, "longitude": -1e400}}}
            """),
        "huge numeric ids" => Utf8("""{"type": "track", "userId": 1e400, "anonymousId": -1e-400, "messageId": 1e400, "event": "A"}"""),
        "a thousand digits" => Utf8("""{"type": "identify", "userId": "u-1", "traits": {"n": """ + new string('9', 1000) + "}}"),
        "extreme timestamps" => Utf8("""
            {"type": "track", "userId": "u-1", "event": "A", "timestamp": "9999-12-31T23:59:59-14:00",
             "sentAt": "0001-01-01T00:00:00+14:00"}
            """),
        "path-like time zone" => Utf8("""{"type": "track", "userId": "u-1", "event": "A", "context": {"timezone": "../../../../etc/passwd"}}"""),
        "time zone with a NUL" => Utf8("""{"type": "track", "userId": "u-1", "event": "A", "context": {"timezone": "Europe/Paris\u0000"}}"""),
        "overlong device token" => Utf8(
            """{"type": "track", "userId": "u-1", "event": "A", "context": {"device": {"type": "android", "token": """ +
            "\"" + new string('a', 5000) + "\"}}}"),
        "duplicate keys" => Utf8("""{"type": "track", "userId": "u-1", "userId": {"x": 1}, "event": "A", "event": "B"}"""),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static byte[] RandomBytes()
    {
        var bytes = new byte[4096];
        new Random(20250301).NextBytes(bytes);
        bytes[0] = (byte)'{';
        return bytes;
    }
}
