using Microsoft.Extensions.Options;

namespace Orleans.Segments.Hosting;

/// <summary>Rejects settings the engine cannot run with, at start-up rather than at the first event.</summary>
public sealed class SegmentsOptionsValidator : IValidateOptions<SegmentsOptions>
{
    public ValidateOptionsResult Validate(string? name, SegmentsOptions options)
    {
        var failures = new List<string>();
        foreach (var (appId, app) in options.Apps)
        {
            if (!AppId.IsValid(appId)) failures.Add($"Segments:Apps:{appId}: app ids are 1-64 of a-z, 0-9, '-' and '_'.");
            if (app.Lifecycle.Validate() is { } lifecycle) failures.Add($"Segments:Apps:{appId}:Lifecycle: {lifecycle}");
            if (app.Interests.HalfLife <= TimeSpan.Zero) failures.Add($"Segments:Apps:{appId}:Interests:HalfLife must be positive.");
            if (app.WriteKey is { Length: < 16 }) failures.Add($"Segments:Apps:{appId}:WriteKey must be at least 16 characters.");
            if (app.AdminKey is { Length: < 16 }) failures.Add($"Segments:Apps:{appId}:AdminKey must be at least 16 characters.");
            if (app.Caps.Validate() is { } caps) failures.Add($"Segments:Apps:{appId}:Caps: {caps}");
            if (app.Campaigns.ThrottlePerMinute < 1) failures.Add($"Segments:Apps:{appId}:Campaigns:ThrottlePerMinute must be at least 1.");
            if (app.Campaigns.OptOutWindow <= TimeSpan.Zero) failures.Add($"Segments:Apps:{appId}:Campaigns:OptOutWindow must be positive.");
            if (app.Campaigns.ProviderRetries is < 0 or > 10) failures.Add($"Segments:Apps:{appId}:Campaigns:ProviderRetries must be between 0 and 10.");
            if (app.Campaigns.ProviderRetryDelay <= TimeSpan.Zero) failures.Add($"Segments:Apps:{appId}:Campaigns:ProviderRetryDelay must be positive.");
            if (!(app.Campaigns.ControlGroupPercent is >= 0 and <= 50)) failures.Add($"Segments:Apps:{appId}:Campaigns:ControlGroupPercent must be between 0 and 50.");
            if (app.Campaigns.MaxExposures is < 1 or > 1000) failures.Add($"Segments:Apps:{appId}:Campaigns:MaxExposures must be between 1 and 1000.");
            if (!TimeZoneInfo.TryFindSystemTimeZoneById(app.QuietHours.DefaultTimeZone, out _)) failures.Add($"Segments:Apps:{appId}:QuietHours:DefaultTimeZone '{app.QuietHours.DefaultTimeZone}' is not a known time zone.");
            foreach (string origin in app.AllowedOrigins.Where(o => !IsOrigin(o)))
            {
                failures.Add($"Segments:Apps:{appId}:AllowedOrigins: '{origin}' is not an origin such as https://shop.example.com (scheme, host, optional port; no path).");
            }

            if (app.WriteKey is not null && app.WriteKey == app.AdminKey) failures.Add($"Segments:Apps:{appId}: WriteKey and AdminKey must differ.");
        }

        if (options.Templates.Validate() is { } templates) failures.Add($"Segments:Templates:{templates}");
        var hooks = options.Webhooks;
        if (hooks.Timeout < TimeSpan.FromMilliseconds(100) || hooks.Timeout > TimeSpan.FromMinutes(2)) failures.Add("Segments:Webhooks:Timeout must be between 100 ms and 2 minutes.");
        if (hooks.Linger < TimeSpan.Zero || hooks.Linger > TimeSpan.FromMinutes(1)) failures.Add("Segments:Webhooks:Linger must be between 0 and 1 minute.");
        if (hooks.BatchSize is < 1 or > 5000) failures.Add("Segments:Webhooks:BatchSize must be between 1 and 5000.");
        if (hooks.Retry.FirstRetryAfter < TimeSpan.FromMilliseconds(10)) failures.Add("Segments:Webhooks:Retry:FirstRetryAfter must be at least 10 ms.");
        if (hooks.Retry.MaxRetryInterval < hooks.Retry.FirstRetryAfter) failures.Add("Segments:Webhooks:Retry:MaxRetryInterval must be at least FirstRetryAfter.");
        if (hooks.Retry.GiveUpAfter < hooks.Retry.FirstRetryAfter) failures.Add("Segments:Webhooks:Retry:GiveUpAfter must be at least FirstRetryAfter.");
        if (hooks.MaxBacklogPerShard < 1000) failures.Add("Segments:Webhooks:MaxBacklogPerShard must be at least 1000.");
        if (hooks.MaxPendingPerUser < 10) failures.Add("Segments:Webhooks:MaxPendingPerUser must be at least 10.");
        var w = options.Wakeups;
        if (w.BucketWidth < TimeSpan.FromSeconds(1)) failures.Add("Segments:Wakeups:BucketWidth must be at least 1 second.");
        if (w.Shards is < 1 or > 4096) failures.Add("Segments:Wakeups:Shards must be between 1 and 4096.");
        if (w.TickInterval < TimeSpan.FromMilliseconds(100)) failures.Add("Segments:Wakeups:TickInterval must be at least 100 ms.");
        if (w.Concurrency < 1) failures.Add("Segments:Wakeups:Concurrency must be at least 1.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsOrigin(string origin) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.AbsolutePath == "/" && !origin.EndsWith('/')
        && string.IsNullOrEmpty(uri.Query) && string.IsNullOrEmpty(uri.Fragment) && string.IsNullOrEmpty(uri.UserInfo);
}
