using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Orleans.Segments.Push.Hosting;

/// <summary>Says at start-up how each app sends, so a missing credential is seen before the first campaign. No secrets.</summary>
public sealed partial class PushStartupReport(IReadOnlyList<string> appIds, IOptionsMonitor<AppPushOptions> options, ILogger<PushStartupReport> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (string appId in appIds)
        {
            var app = options.Get(appId);
            if (app.Apns is { } apns) LogApns(appId, apns.Environment.ToString(), apns.BundleId ?? "", apns.KeyId ?? "", apns.ResolveBaseAddress().Host);
            else LogNoApns(appId);
            if (app.Fcm is { } fcm) LogFcm(appId, fcm.ProjectId ?? "", fcm.ResolveBaseAddress().Host);
            else LogNoFcm(appId);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 430, Level = LogLevel.Information, Message = "App {AppId} sends to APNs {Environment} ({Host}) for topic {Topic} with key {KeyId}")]
    private partial void LogApns(string appId, string environment, string topic, string keyId, string host);

    [LoggerMessage(EventId = 431, Level = LogLevel.Warning, Message = "App {AppId} has no APNs credentials: iOS notifications go to the log sender")]
    private partial void LogNoApns(string appId);

    [LoggerMessage(EventId = 432, Level = LogLevel.Information, Message = "App {AppId} sends to FCM project {ProjectId} ({Host})")]
    private partial void LogFcm(string appId, string projectId, string host);

    [LoggerMessage(EventId = 433, Level = LogLevel.Warning, Message = "App {AppId} has no FCM credentials: Android notifications go to the log sender")]
    private partial void LogNoFcm(string appId);
}
