using Microsoft.Extensions.Time.Testing;
using Orleans.Segments.Domain.Events;
using Orleans.Segments.Domain.Ingestion;

namespace Orleans.Segments.Domain.Tests.Ingestion;

public sealed class ContextTests
{
    private const string ApnsToken = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789ABCDEF";
    private const string FcmToken = "fcm-token_0123456789:abcdefghijklmnopqrstuvwxyz.ABC";

    private readonly FakeTimeProvider time = new(new DateTimeOffset(2025, 3, 1, 10, 0, 0, TimeSpan.Zero));

    private readonly SegmentMessageParser parser = new(new IngestionLimits());

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    [Fact]
    public void ReadsAKnownTimeZone()
    {
        Assert.Equal("Europe/Paris", Single("""{"timezone": "Europe/Paris"}""").TimeZone);
    }

    [Fact]
    public void RejectsAnUnknownTimeZone()
    {
        Assert.Equal(["context.timezone: 'Mars/Olympus_Mons' is not a known IANA time zone."], Parse("""{"timezone": "Mars/Olympus_Mons"}""").Errors);
    }

    [Theory]
    [InlineData("ios", PushPlatform.Ios, ApnsToken)]
    [InlineData("android", PushPlatform.Android, FcmToken)]
    public void ReadsADeviceToken(string type, PushPlatform platform, string token)
    {
        var e = Single($$$"""{"device": {"token": "{{{token}}}", "type": "{{{type}}}"}}""");

        Assert.Equal(new DeviceToken(token, platform), e.Device);
    }

    [Fact]
    public void RejectsADeviceTokenWithoutType()
    {
        var result = Parse($$$"""{"device": {"token": "{{{ApnsToken}}}"}}""");

        Assert.Equal(["context.device.type: must be ios or android when device.token is set."], result.Errors);
    }

    [Theory]
    [InlineData("not-hex-at-all")]
    [InlineData("0123456789abcdef")]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdeZ")]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0")]
    public void RejectsAMalformedApnsToken(string token)
    {
        var result = Parse($$$"""{"device": {"token": "{{{token}}}", "type": "ios"}}""");

        Assert.Equal(["context.device.token: not a well-formed APNs token."], result.Errors);
    }

    [Fact]
    public void DeviceWithoutTokenIsIgnored()
    {
        Assert.Null(Single("""{"device": {"type": "ios", "model": "iPhone16,2"}}""").Device);
    }

    [Fact]
    public void ReadsALocation()
    {
        var e = Single("""{"location": {"latitude": 48.8566, "longitude": 2.3522, "city": "Paris", "country": "FR"}}""");

        Assert.Equal(new GeoPoint(48.8566, 2.3522, "Paris", "FR"), e.Location);
    }

    [Theory]
    [InlineData("""{"location": {"latitude": 91, "longitude": 0}}""")]
    [InlineData("""{"location": {"latitude": 48.8}}""")]
    [InlineData("""{"location": {"latitude": "48.8", "longitude": "2.3"}}""")]
    [InlineData("""{"location": {"latitude": 1e400, "longitude": 0}}""")]
    public void RejectsAnInvalidLocation(string context)
    {
        var result = Parse(context);

        Assert.Equal(["context.location: latitude and longitude must both be numbers within ±90 and ±180."], result.Errors);
    }

    [Fact]
    public void ReadsContextTraitsOfATrackCall()
    {
        var e = Single("""{"traits": {"plan": "pro"}}""");

        Assert.Equal(TraitValue.Of("pro", Now), e.Traits!["plan"]);
    }

    [Fact]
    public void RejectsAContextThatIsNotAnObject()
    {
        var result = parser.ParseSingle(Body.Of("""{"userId": "u-1", "event": "A", "context": "mobile"}"""), EventKind.Track, Now);

        Assert.Equal(["context: must be an object."], result.Errors);
    }

    private ParseResult Parse(string context) =>
        parser.ParseSingle(Body.Of("""{"userId": "u-1", "event": "A", "context": """ + context + "}"), EventKind.Track, Now);

    private UserEvent Single(string context) => Assert.Single(Parse(context).Messages).Event;
}
