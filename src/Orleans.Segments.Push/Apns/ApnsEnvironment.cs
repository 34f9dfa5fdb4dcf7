namespace Orleans.Segments.Push.Apns;

/// <summary>Which APNs an app's tokens belong to: development builds get sandbox tokens.</summary>
public enum ApnsEnvironment
{
    /// <summary><c>api.sandbox.push.apple.com</c>, for development builds.</summary>
    Sandbox,

    /// <summary><c>api.push.apple.com</c>, for TestFlight and App Store builds.</summary>
    Production,
}
