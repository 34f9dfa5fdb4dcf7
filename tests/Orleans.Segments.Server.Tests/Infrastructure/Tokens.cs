using System.Security.Cryptography;

namespace Orleans.Segments.Server.Tests.Infrastructure;

/// <summary>Well-formed, unique push tokens.</summary>
public static class Tokens
{
    /// <summary>An APNs device token: 32 random bytes as 64 hexadecimal digits.</summary>
    public static string Apns() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    /// <summary>An FCM registration token: 152 characters of the FCM alphabet.</summary>
    public static string Fcm() => "fcm:" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(111)).Replace('+', '-').Replace('/', '_').TrimEnd('=');
}
