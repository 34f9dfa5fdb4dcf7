using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Segments.Push.Apns;
using Orleans.Segments.Push.Fcm;
using Orleans.Segments.Push.Hosting;

namespace Orleans.Segments.Push;

/// <summary>
/// The sender of each app, made on first use from <c>Segments:Apps:&lt;appId&gt;:Push</c> and kept for the
/// process's life, so that each app has one APNs connection pool, and each team one provider token.
/// </summary>
public sealed class PushSenders(
    IOptionsMonitor<AppPushOptions> options,
    IOptions<PushTransportOptions> transport,
    TimeProvider time,
    ILoggerFactory loggers) : IDisposable
{
    // Why: Lazy so that two first sends of one app racing in GetOrAdd cannot make two connection pools.
    private readonly ConcurrentDictionary<string, Lazy<AppPushSender>> byApp = new(StringComparer.Ordinal);
    private readonly ApnsProviderTokens providerTokens = new(time);

    /// <summary>The sender of <paramref name="appId"/>: its APNs and FCM senders, or the log sender where none is configured.</summary>
    public IPushSender For(string appId) => byApp.GetOrAdd(appId, id => new Lazy<AppPushSender>(() => Create(id))).Value;

    public void Dispose()
    {
        foreach (var sender in byApp.Values.Where(s => s.IsValueCreated).Select(s => s.Value))
        {
            (sender.Apns as IDisposable)?.Dispose();
            (sender.Fcm as IDisposable)?.Dispose();
        }

        providerTokens.Dispose();
    }

    private AppPushSender Create(string appId)
    {
        var app = options.Get(appId);
        IPushSender? log = null;
        IPushSender Log() => log ??= new LogSender(appId, time, loggers.CreateLogger<LogSender>());

        var apns = app.Apns is { } apnsOptions
            ? new ApnsSender(appId, apnsOptions, app.Retry, providerTokens.For(apnsOptions), PushHttp.CreateHandler(transport.Value), time, loggers.CreateLogger<ApnsSender>())
            : Log();
        var fcm = app.Fcm is { } fcmOptions
            ? new FcmSender(appId, fcmOptions, app.Retry, transport.Value, time, loggers.CreateLogger<FcmSender>())
            : Log();
        return new AppPushSender(apns, fcm);
    }
}
