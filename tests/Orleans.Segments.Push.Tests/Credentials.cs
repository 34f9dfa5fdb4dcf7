namespace Orleans.Segments.Push.Tests;

/// <summary>Ids shaped like the real ones, shared by the tests.</summary>
public static class Credentials
{
    public const string KeyId = "ABC123DEFG";
    public const string TeamId = "DEF123GHIJ";
    public const string BundleId = "com.example.shop";
    public const string ProjectId = "shop-app-12345";
    public const string ClientEmail = "push@shop-app-12345.iam.gserviceaccount.com";

    public static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    /// <summary>A fresh APNs device token: 64 hex digits.</summary>
    public static string NewApnsToken() => Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N");

    /// <summary>A fresh FCM registration token, shaped like one (id, colon, long base64url tail).</summary>
    public static string NewFcmToken() => "f" + Guid.NewGuid().ToString("N")[..21] + ":APA91b" + Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N");
}
