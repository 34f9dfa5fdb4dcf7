using System.Net;
using System.Text.Json;
using Orleans.Segments.Push.Delivery;

namespace Orleans.Segments.Push.Fcm;

/// <summary>
/// Reads an FCM v1 answer as Google documents it: the <c>FcmError</c> detail's <c>errorCode</c> when present,
/// else the error's <c>status</c>, else the HTTP status.
/// </summary>
internal static class FcmAnswers
{
    public static Attempt Classify(HttpStatusCode status, FcmError error, TimeSpan? retryAfter, DateTime now)
    {
        string code = error.ErrorCode ?? error.Status ?? status.ToString();
        string why = $"FCM {(int)status} {code}";
        return code switch
        {
            "UNREGISTERED" => new(AttemptKind.Permanent, why, TokenDead: true, DeadSince: now),
            // Why: the token belongs to another sender; it can never work for this app's project.
            "SENDER_ID_MISMATCH" => new(AttemptKind.Permanent, why, TokenDead: true, DeadSince: now),
            // Why: INVALID_ARGUMENT also covers a bad payload; only a violation on the token itself kills the token,
            // so that a mistake in a campaign's message cannot erase every valid token it is sent to.
            "INVALID_ARGUMENT" => new(AttemptKind.Permanent, why, TokenDead: error.TokenInvalid, DeadSince: error.TokenInvalid ? now : null),
            "UNAVAILABLE" or "INTERNAL" or "QUOTA_EXCEEDED" or "RESOURCE_EXHAUSTED" => new(AttemptKind.Transient, why, RetryAfter: retryAfter),
            "UNAUTHENTICATED" => new(AttemptKind.AuthExpired, why),
            _ when (int)status is 429 or >= 500 => new(AttemptKind.Transient, why, RetryAfter: retryAfter),
            _ => new(AttemptKind.Permanent, why),
        };
    }

    /// <summary>What an error body says; every part optional.</summary>
    internal readonly record struct FcmError(string? Status, string? ErrorCode, bool TokenInvalid);

    /// <summary>Reads <c>{"error": {"status", "details": [{"@type": ...FcmError, "errorCode"}, {fieldViolations}]}}</c>.</summary>
    public static FcmError ReadError(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (!document.RootElement.TryGetProperty("error", out var error) || error.ValueKind != JsonValueKind.Object) return default;
            string? status = error.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
            string? errorCode = null;
            bool tokenInvalid = false;
            if (error.TryGetProperty("details", out var details) && details.ValueKind == JsonValueKind.Array)
            {
                foreach (var detail in details.EnumerateArray())
                {
                    if (detail.ValueKind != JsonValueKind.Object) continue;
                    if (detail.TryGetProperty("errorCode", out var code) && code.ValueKind == JsonValueKind.String) errorCode ??= code.GetString();
                    if (detail.TryGetProperty("fieldViolations", out var violations) && violations.ValueKind == JsonValueKind.Array)
                    {
                        foreach (var violation in violations.EnumerateArray())
                        {
                            if (violation.ValueKind == JsonValueKind.Object && violation.TryGetProperty("field", out var field) &&
                                field.ValueKind == JsonValueKind.String && field.GetString() == "message.token")
                            {
                                tokenInvalid = true;
                            }
                        }
                    }
                }
            }

            return new FcmError(status, errorCode, tokenInvalid);
        }
        catch (JsonException)
        {
            return default;
        }
    }

    /// <summary>Reads the message name from a success body <c>{"name": "projects/p/messages/id"}</c>.</summary>
    public static string? ReadName(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String ? name.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
