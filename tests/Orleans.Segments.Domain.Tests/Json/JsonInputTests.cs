using System.Text;
using Orleans.Segments.Domain.Events;
using Orleans.Segments.Domain.Ingestion;
using Orleans.Segments.Domain.Json;

namespace Orleans.Segments.Domain.Tests.Json;

public sealed class JsonInputTests
{
    [Theory]
    [InlineData("""{"userId": "\ud800", "event": "A"}""")]
    [InlineData("""{"userId": "\udc00", "event": "A"}""")]
    [InlineData("""{"userId": "u", "event": "A\ud800B"}""")]
    [InlineData("""{"userId": "u", "event": "A", "properties": {"\ud800": 1}}""")]
    [InlineData("""{"userId": "u", "event": "A", "properties": {"deep": [{"x": "\uDBFF"}]}}""")]
    [InlineData("""{"userId": "u", "event": "A", "context": {"traits": {"name": "\ud800\u0041"}}}""")]
    public void FindsAnEscapedLoneSurrogateAnywhere(string body)
    {
        Assert.False(JsonInput.TryParse(Encoding.UTF8.GetBytes(body), 32, out var document, out string? error));

        Assert.Null(document);
        Assert.Contains("lone surrogate", error);
    }

    [Fact]
    public void AcceptsAnEscapedSurrogatePair()
    {
        Assert.True(JsonInput.TryParse("""{"name": "\ud83d\ude00 and \u00e9"}"""u8.ToArray(), 32, out var document, out string? error), error);

        using (document) Assert.Equal("\U0001F600 and é", document!.RootElement.GetProperty("name").GetString());
    }

    [Fact]
    public void NamesTheOffsetOfTheFirstInvalidUtf8Byte()
    {
        byte[] body = [.. """{"name": "ab"""u8, 0xC3, 0x28, .. "\"}"u8];

        Assert.False(JsonInput.TryParse(body, 32, out _, out string? error));

        Assert.Equal("not valid UTF-8 (the first invalid byte is at offset 12).", error);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("{\"a\": 01}")]
    [InlineData("[1, 2,]")]
    public void ReportsSyntaxErrorsAsMalformedJson(string body)
    {
        Assert.False(JsonInput.TryParse(Encoding.UTF8.GetBytes(body), 32, out _, out string? error));

        Assert.StartsWith("malformed JSON (", error);
    }

    [Fact]
    public void ASyntaxErrorAfterAnEscapeIsStillReportedAsMalformed()
    {
        Assert.False(JsonInput.TryParse("""{"a": "\u0041", """u8.ToArray(), 32, out _, out string? error));

        Assert.StartsWith("malformed JSON", error);
    }

    [Theory]
    [InlineData("""{"userId": "\ud800", "event": "A"}""")]
    [InlineData("""{"batch": [{"type": "track", "userId": "u", "event": "\udfff"}]}""")]
    public void TheIngestParserRefusesALoneSurrogateWithAReason(string body)
    {
        var parser = new SegmentMessageParser(new IngestionLimits());
        var now = new DateTime(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc);
        byte[] bytes = Encoding.UTF8.GetBytes(body);

        var result = body.Contains("batch") ? parser.ParseBatch(bytes, now) : parser.ParseSingle(bytes, EventKind.Track, now);

        Assert.Empty(result.Messages);
        Assert.StartsWith("body: ", Assert.Single(result.Errors));
        Assert.Contains("lone surrogate", result.Errors[0]);
    }
}
