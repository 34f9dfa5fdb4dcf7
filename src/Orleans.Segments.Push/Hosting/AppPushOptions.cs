using Orleans.Segments.Push.Apns;
using Orleans.Segments.Push.Fcm;

namespace Orleans.Segments.Push.Hosting;

/// <summary>One app's push credentials, bound from <c>Segments:Apps:&lt;appId&gt;:Push</c>; named options, the name is the app id.</summary>
public sealed class AppPushOptions
{
    /// <summary>APNs for the app's iOS devices. Default: none (iOS notifications go to the log sender).</summary>
    public ApnsOptions? Apns { get; set; }

    /// <summary>FCM for the app's Android devices. Default: none (Android notifications go to the log sender).</summary>
    public FcmOptions? Fcm { get; set; }

    /// <summary>How transient failures are retried. Default: see <see cref="RetryOptions"/>.</summary>
    public RetryOptions Retry { get; set; } = new();
}
