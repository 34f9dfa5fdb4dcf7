namespace Orleans.Segments.Push.StandIns;

/// <summary>An answer the APNs stand-in is told to give instead of accepting: a status, Apple's reason, and the extras.</summary>
public sealed record ApnsAnswer(int Status, string Reason, long? TimestampMs = null, string? RetryAfter = null)
{
    public static ApnsAnswer BadDeviceToken => new(400, "BadDeviceToken");
    public static ApnsAnswer DeviceTokenNotForTopic => new(400, "DeviceTokenNotForTopic");
    public static ApnsAnswer ExpiredProviderToken => new(403, "ExpiredProviderToken");
    public static ApnsAnswer PayloadTooLarge => new(413, "PayloadTooLarge");
    public static ApnsAnswer InternalServerError => new(500, "InternalServerError");
    public static ApnsAnswer ServiceUnavailable => new(503, "ServiceUnavailable");

    public static ApnsAnswer Unregistered(DateTimeOffset since) => new(410, "Unregistered", since.ToUnixTimeMilliseconds());

    /// <summary>Reads the whole request, then resets the stream without answering: the notification may have arrived.</summary>
    public static ApnsAnswer ResetAfterReading => new(0, "(stream reset, no answer)");

    public static ApnsAnswer TooManyRequests(int retryAfterSeconds) => new(429, "TooManyRequests", RetryAfter: retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
