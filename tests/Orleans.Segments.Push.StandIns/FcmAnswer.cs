namespace Orleans.Segments.Push.StandIns;

/// <summary>An error the FCM stand-in is told to give, written as FCM v1 writes it (HTTP status, status, FcmError code).</summary>
public sealed record FcmAnswer(int Status, string GoogleStatus, string? ErrorCode, string? RetryAfter = null, bool TokenViolation = false)
{
    public static FcmAnswer Unregistered => new(404, "NOT_FOUND", "UNREGISTERED");
    public static FcmAnswer SenderIdMismatch => new(403, "PERMISSION_DENIED", "SENDER_ID_MISMATCH");
    public static FcmAnswer InvalidToken => new(400, "INVALID_ARGUMENT", "INVALID_ARGUMENT", TokenViolation: true);
    public static FcmAnswer InvalidPayload => new(400, "INVALID_ARGUMENT", "INVALID_ARGUMENT");
    public static FcmAnswer Unavailable => new(503, "UNAVAILABLE", "UNAVAILABLE");
    public static FcmAnswer Internal => new(500, "INTERNAL", "INTERNAL");
    public static FcmAnswer ThirdPartyAuthError => new(401, "UNAUTHENTICATED", "THIRD_PARTY_AUTH_ERROR");

    public static FcmAnswer QuotaExceeded(int retryAfterSeconds) =>
        new(429, "RESOURCE_EXHAUSTED", "QUOTA_EXCEEDED", retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
