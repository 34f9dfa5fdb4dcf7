using System.Collections.Concurrent;
using Orleans.Segments.Users;

namespace Orleans.Segments.Server.Ingestion;

/// <summary>
/// Counts the events this process applied per app and minute, and hands the counts to each app's
/// <see cref="IAppActivityGrain"/> every few seconds: one grain call per app per flush, none per request.
/// </summary>
public sealed partial class IngestActivity(IGrainFactory grains, TimeProvider time, ILogger<IngestActivity> logger) : BackgroundService
{
    private static readonly TimeSpan FlushEvery = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<(string App, long Minute), long> counts = new();

    public void Add(string appId, int events)
    {
        if (events <= 0) return;
        long minute = time.GetUtcNow().UtcDateTime.Ticks / TimeSpan.TicksPerMinute;
        counts.AddOrUpdate((appId, minute), events, (_, n) => n + events);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(FlushEvery, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            await FlushAsync();
        }
    }

    /// <summary>Hands every count over; one that could not be handed over is kept for the next flush.</summary>
    public async Task FlushAsync()
    {
        foreach (var key in counts.Keys)
        {
            if (!counts.TryRemove(key, out long events)) continue;
            try
            {
                await grains.GetGrain<IAppActivityGrain>(key.App).Record(new DateTime(key.Minute * TimeSpan.TicksPerMinute, DateTimeKind.Utc), events);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                counts.AddOrUpdate(key, events, (_, n) => n + events);
                LogFlushFailed(key.App, ex);
            }
        }
    }

    [LoggerMessage(EventId = 310, Level = LogLevel.Debug, Message = "Ingestion counts of {AppId} could not be handed over; kept for the next flush")]
    private partial void LogFlushFailed(string appId, Exception exception);
}
