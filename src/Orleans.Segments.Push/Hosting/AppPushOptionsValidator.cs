using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Orleans.Segments.Push.Apns;
using Orleans.Segments.Push.Fcm;

namespace Orleans.Segments.Push.Hosting;

/// <summary>
/// Rejects push credentials that could not work, at start-up rather than at the first send: a .p8 that is not an
/// EC P-256 key, ids of the wrong shape, a service account without its key. Messages never quote a secret.
/// </summary>
public sealed partial class AppPushOptionsValidator : IValidateOptions<AppPushOptions>
{
    public ValidateOptionsResult Validate(string? name, AppPushOptions options)
    {
        string prefix = $"Segments:Apps:{name}:Push";
        var failures = new List<string>();
        if (options.Apns is { } apns) ValidateApns($"{prefix}:Apns", apns, failures);
        if (options.Fcm is { } fcm) ValidateFcm($"{prefix}:Fcm", fcm, failures);
        ValidateRetry($"{prefix}:Retry", options.Retry, failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidateApns(string at, ApnsOptions o, List<string> failures)
    {
        if (o.KeyId is null || !AppleId().IsMatch(o.KeyId)) failures.Add($"{at}:KeyId must be the 10-character key id Apple shows beside the key (A-Z, 0-9).");
        if (o.TeamId is null || !AppleId().IsMatch(o.TeamId)) failures.Add($"{at}:TeamId must be the 10-character Apple Developer team id (A-Z, 0-9).");
        if (o.BundleId is null || !BundleId().IsMatch(o.BundleId)) failures.Add($"{at}:BundleId must be the app's bundle id, such as com.example.app.");
        if (o.TokenRefreshInterval < ApnsProviderToken.MinimumAge || o.TokenRefreshInterval > ApnsProviderToken.MaximumAge)
        {
            failures.Add($"{at}:TokenRefreshInterval must be between 20 and 60 minutes (Apple's rule for provider tokens).");
        }

        if (o.BaseAddress is { } address && address.Scheme != Uri.UriSchemeHttps) failures.Add($"{at}:BaseAddress must be https: APNs is HTTP/2 over TLS.");
        if (o.RequestTimeout <= TimeSpan.Zero) failures.Add($"{at}:RequestTimeout must be positive.");
        if ((o.PrivateKey is null) == (o.PrivateKeyPath is null))
        {
            failures.Add($"{at}: set exactly one of PrivateKey (the .p8 text) and PrivateKeyPath.");
            return;
        }

        try
        {
            using var key = ApnsKey.Load(o);
        }
        catch (InvalidDataException e)
        {
            failures.Add($"{at}:{(o.PrivateKey is null ? "PrivateKeyPath" : "PrivateKey")} is unusable: {e.Message.TrimEnd('.')}.");
        }
    }

    private static void ValidateFcm(string at, FcmOptions o, List<string> failures)
    {
        if (o.ProjectId is null || !ProjectId().IsMatch(o.ProjectId)) failures.Add($"{at}:ProjectId must be the Firebase project id (6-30 of a-z, 0-9 and '-').");
        if (o.BaseAddress is { } address && address.Scheme != Uri.UriSchemeHttps) failures.Add($"{at}:BaseAddress must be https.");
        if (o.RequestTimeout <= TimeSpan.Zero) failures.Add($"{at}:RequestTimeout must be positive.");
        if ((o.ServiceAccountJson is null) == (o.ServiceAccountPath is null))
        {
            failures.Add($"{at}: set exactly one of ServiceAccountJson and ServiceAccountPath.");
            return;
        }

        try
        {
            FcmServiceAccount.Load(o);
        }
        catch (InvalidDataException e)
        {
            failures.Add($"{at}:{(o.ServiceAccountJson is null ? "ServiceAccountPath" : "ServiceAccountJson")} is unusable: {e.Message.TrimEnd('.')}.");
        }
    }

    private static void ValidateRetry(string at, RetryOptions o, List<string> failures)
    {
        if (o.MaxAttempts is < 1 or > 10) failures.Add($"{at}:MaxAttempts must be between 1 and 10.");
        if (o.BaseDelay <= TimeSpan.Zero) failures.Add($"{at}:BaseDelay must be positive.");
        if (o.MaxDelay < o.BaseDelay) failures.Add($"{at}:MaxDelay must be at least BaseDelay.");
        if (o.MaxRetryAfter < TimeSpan.Zero) failures.Add($"{at}:MaxRetryAfter must not be negative.");
    }

    [GeneratedRegex("^[A-Z0-9]{10}$")]
    private static partial Regex AppleId();

    [GeneratedRegex(@"^[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)+$")]
    private static partial Regex BundleId();

    [GeneratedRegex("^[a-z][a-z0-9-]{4,28}[a-z0-9]$")]
    private static partial Regex ProjectId();
}
