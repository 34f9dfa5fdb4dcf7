using System.Net;
using System.Text.Json;
using Orleans.Segments.Push.Delivery;

namespace Orleans.Segments.Push.Apns;

/// <summary>
/// Reads an APNs answer as Apple documents it ("Handling notification responses from APNs"): the status
/// decides permanent or transient, and the JSON <c>reason</c> (and the 410 <c>timestamp</c>) the rest.
/// </summary>
internal static class ApnsAnswers
{
    public static Attempt Classify(HttpStatusCode status, string? reason, long? timestampMs, TimeSpan? retryAfter, DateTime now)
    {
        string why = $"APNs {(int)status} {reason ?? status.ToString()}";
        return (int)status switch
        {
            // Why: the token is not (or no longer) one this app's topic and environment can reach.
            400 when reason is "BadDeviceToken" or "DeviceTokenNotForTopic" => new(AttemptKind.Permanent, why, TokenDead: true, DeadSince: now),
            403 when reason is "ExpiredProviderToken" => new(AttemptKind.AuthExpired, why),
            // Why: Apple's timestamp is when it learnt the token died; a registration after it revives the token.
            410 => new(AttemptKind.Permanent, why, TokenDead: true, DeadSince: timestampMs is { } ms ? DateTime.UnixEpoch.AddMilliseconds(ms) : now),
            429 or 500 or 503 => new(AttemptKind.Transient, why, RetryAfter: retryAfter),
            >= 500 => new(AttemptKind.Transient, why, RetryAfter: retryAfter),
            // Why: 400 (other reasons), 403, 404, 405 and 413 describe our request, which will not improve by resending.
            _ => new(AttemptKind.Permanent, why),
        };
    }

    /// <summary>Reads <c>{"reason": "...", "timestamp": ms}</c>; tolerates an empty or foreign body.</summary>
    public static (string? Reason, long? TimestampMs) ReadBody(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty) return (null, null);
        try
        {
            var reader = new Utf8JsonReader(body);
            string? reason = null;
            long? timestamp = null;
            while (reader.Read())
            {
                if (reader.TokenType != JsonTokenType.PropertyName || reader.CurrentDepth != 1) continue;
                if (reader.ValueTextEquals("reason"u8) && reader.Read() && reader.TokenType == JsonTokenType.String)
                {
                    reason = reader.GetString();
                }
                else if (reader.ValueTextEquals("timestamp"u8) && reader.Read() && reader.TokenType == JsonTokenType.Number)
                {
                    timestamp = reader.GetInt64();
                }
            }

            return (reason, timestamp);
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }
}
