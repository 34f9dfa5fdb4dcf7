namespace Orleans.Segments.Domain.Events;

/// <summary>A push token and the platform it belongs to.</summary>
[GenerateSerializer, Immutable, Alias("segments.DeviceToken")]
public sealed record DeviceToken(
    [property: Id(0)] string Token,
    [property: Id(1)] PushPlatform Platform)
{
    /// <summary>The most characters a token may have (FCM tokens are long; APNs tokens are 64 hex digits today).</summary>
    public const int MaxLength = 4096;

    /// <summary>True when <paramref name="token"/> has a plausible length and only the characters APNs and FCM use.</summary>
    public static bool IsWellFormed(string? token, PushPlatform platform)
    {
        if (string.IsNullOrEmpty(token) || token.Length > MaxLength) return false;
        if (platform == PushPlatform.Ios)
        {
            // Why: Apple warns that token length may grow, so accept any even-length hex string of at least 32 bytes.
            return token.Length >= 64 && token.Length % 2 == 0 && token.AsSpan().IndexOfAnyExcept(HexChars) < 0;
        }

        return token.Length >= 32 && token.AsSpan().IndexOfAnyExcept(FcmChars) < 0;
    }

    public static bool TryParsePlatform(string? text, out PushPlatform platform)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            // Why: analytics-swift reports the Apple platform it runs on; every one of them gets pushes through APNs.
            case "ios" or "apns" or "ipados" or "macos" or "tvos" or "watchos" or "visionos":
                platform = PushPlatform.Ios;
                return true;
            case "android" or "fcm":
                platform = PushPlatform.Android;
                return true;
            default:
                platform = default;
                return false;
        }
    }

    /// <summary>A stable, non-reversible handle for a token, safe to show and to log.</summary>
    public static string Fingerprint(string token)
    {
        Span<byte> hash = stackalloc byte[32];
        System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token), hash);
        return Convert.ToHexStringLower(hash[..6]);
    }

    private static readonly System.Buffers.SearchValues<char> HexChars =
        System.Buffers.SearchValues.Create("0123456789abcdefABCDEF");

    private static readonly System.Buffers.SearchValues<char> FcmChars =
        System.Buffers.SearchValues.Create("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_:.");
}
