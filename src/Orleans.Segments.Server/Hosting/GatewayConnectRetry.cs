using System.Diagnostics;

namespace Orleans.Segments.Server.Hosting;

/// <summary>
/// Lets a gateway start before the silos (as in docker compose): it keeps trying to reach the cluster for a
/// minute, then gives up so that the orchestrator restarts it and someone notices.
/// </summary>
public sealed partial class GatewayConnectRetry(ILogger<GatewayConnectRetry> logger) : IClientConnectionRetryFilter
{
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromMinutes(1);
    private readonly long started = Stopwatch.GetTimestamp();

    public async Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken cancellationToken)
    {
        if (Stopwatch.GetElapsedTime(started) > GiveUpAfter) return false;
        LogRetrying(exception.GetType().Name);
        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        return true;
    }

    [LoggerMessage(EventId = 20, Level = LogLevel.Warning, Message = "No silo reachable yet ({Reason}); retrying")]
    private partial void LogRetrying(string reason);
}
