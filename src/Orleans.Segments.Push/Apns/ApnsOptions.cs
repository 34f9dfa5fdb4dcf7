namespace Orleans.Segments.Push.Apns;

/// <summary>One app's APNs token-based connection, bound from <c>Segments:Apps:&lt;appId&gt;:Push:Apns</c>.</summary>
public sealed class ApnsOptions
{
    /// <summary>The 10-character id of the .p8 signing key (Apple Developer, Keys). Default: none (required).</summary>
    public string? KeyId { get; set; }

    /// <summary>The 10-character Apple Developer team id the key belongs to. Default: none (required).</summary>
    public string? TeamId { get; set; }

    /// <summary>The app's bundle id, sent as <c>apns-topic</c>. Default: none (required).</summary>
    public string? BundleId { get; set; }

    /// <summary>Sandbox for development builds, Production for TestFlight and the App Store. Default: Sandbox.</summary>
    public ApnsEnvironment Environment { get; set; } = ApnsEnvironment.Sandbox;

    /// <summary>The .p8 key's PEM text (PKCS#8, EC P-256); a secret, never logged. Default: none (or set <see cref="PrivateKeyPath"/>).</summary>
    public string? PrivateKey { get; set; }

    /// <summary>The path of the .p8 key file. Default: none (or set <see cref="PrivateKey"/>).</summary>
    public string? PrivateKeyPath { get; set; }

    /// <summary>How old the shared provider token gets before a new one is made; Apple allows 20 to 60 minutes. Default: 50 minutes.</summary>
    public TimeSpan TokenRefreshInterval { get; set; } = TimeSpan.FromMinutes(50);

    /// <summary>Replaces Apple's host, for a local stand-in in tests. Default: none (the environment's host).</summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>How long one request may take before it is given up (and not retried). Default: 30 seconds.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The host requests go to.</summary>
    public Uri ResolveBaseAddress() => BaseAddress ?? (Environment == ApnsEnvironment.Production ? ProductionHost : SandboxHost);

    public static readonly Uri ProductionHost = new("https://api.push.apple.com/");

    public static readonly Uri SandboxHost = new("https://api.sandbox.push.apple.com/");
}
