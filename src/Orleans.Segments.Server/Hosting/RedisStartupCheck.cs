using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Orleans.Segments.Server.Hosting;

/// <summary>
/// Fails start-up at once, with a message naming the setting, when Redis cannot be reached; registered before
/// Orleans so that the silo or client never starts retrying against a wrong address.
/// </summary>
public sealed partial class RedisStartupCheck(IOptions<RedisOptions> options, ILogger<RedisStartupCheck> logger) : StartupCheck
{
    // Why: Orleans starts its silo or client in the "starting" phase; checking there, registered before it, runs first.
    public override async Task StartingAsync(CancellationToken cancellationToken)
    {
        var redis = options.Value;
        var configuration = RedisHosting.Parse(redis.ConnectionString!);
        configuration.AbortOnConnectFail = true;
        configuration.ConnectRetry = 1;
        configuration.ConnectTimeout = (int)redis.StartupTimeout.TotalMilliseconds;
        string where = string.Join(", ", configuration.EndPoints.Select(e => e.ToString()));
        try
        {
            await using var connection = await ConnectionMultiplexer.ConnectAsync(configuration).WaitAsync(redis.StartupTimeout * 2, cancellationToken);
            var latency = await connection.GetDatabase().PingAsync().WaitAsync(redis.StartupTimeout, cancellationToken);
            LogReached(where, latency.TotalMilliseconds);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            throw new InvalidOperationException(
                $"{RedisOptions.Section}:ConnectionString: Redis at {where} could not be reached within {redis.StartupTimeout.TotalSeconds:0} s " +
                $"({ex.GetType().Name}: {FirstLine(ex.Message)}). Check the host, port and password, or unset the setting to run embedded.", ex);
        }
    }

    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "Redis at {Endpoints} answered in {Milliseconds} ms")]
    private partial void LogReached(string endpoints, double milliseconds);
}
