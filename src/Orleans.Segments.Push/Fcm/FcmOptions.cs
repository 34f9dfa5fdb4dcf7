namespace Orleans.Segments.Push.Fcm;

/// <summary>One app's Firebase project for the FCM HTTP v1 API, bound from <c>Segments:Apps:&lt;appId&gt;:Push:Fcm</c>.</summary>
public sealed class FcmOptions
{
    /// <summary>The Firebase (Google Cloud) project id. Default: none (required).</summary>
    public string? ProjectId { get; set; }

    /// <summary>The service account's JSON key text; a secret, never logged. Default: none (or set <see cref="ServiceAccountPath"/>).</summary>
    public string? ServiceAccountJson { get; set; }

    /// <summary>The path of the service account's JSON key file. Default: none (or set <see cref="ServiceAccountJson"/>).</summary>
    public string? ServiceAccountPath { get; set; }

    /// <summary>Replaces Google's FCM host, for a local stand-in in tests. Default: none (<c>https://fcm.googleapis.com/</c>).</summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>How long one request may take before it is given up (and not retried). Default: 30 seconds.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public Uri ResolveBaseAddress() => BaseAddress ?? GoogleHost;

    public static readonly Uri GoogleHost = new("https://fcm.googleapis.com/");
}
