using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Segments.Hosting;
using StackExchange.Redis;

namespace Orleans.Segments.Server.Hosting;

/// <summary>
/// Wires Orleans' own Redis providers: membership (clustering), grain state and reminders. Streams stay memory
/// streams (transitions are published best effort; nothing depends on them alone), but their pub-sub state is
/// kept in Redis so subscriptions survive a silo.
/// </summary>
public static class RedisHosting
{
    /// <summary>Parses the connection string, or fails with a message that names the setting and the problem.</summary>
    public static ConfigurationOptions Parse(string connectionString)
    {
        ConfigurationOptions options;
        try
        {
            options = ConfigurationOptions.Parse(connectionString);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException)
        {
            throw Invalid($"it is not a valid StackExchange.Redis connection string ({ex.Message}).");
        }

        if (options.EndPoints.Count == 0) throw Invalid("it names no host (expected e.g. 'localhost:6379').");
        foreach (var endpoint in options.EndPoints)
        {
            if (endpoint is System.Net.DnsEndPoint { Host: var host } && host.Any(c => char.IsWhiteSpace(c) || c is '/' or '\\'))
            {
                throw Invalid($"'{host}' is not a host name.");
            }
        }

        return options;
    }

    public static ISiloBuilder UseSegmentsRedis(this ISiloBuilder silo, RedisOptions redis)
    {
        var configuration = Parse(redis.ConnectionString!);
        silo.UseRedisClustering(o => o.ConfigurationOptions = configuration.Clone());
        silo.AddRedisGrainStorage(SegmentsStorage.Name, o =>
        {
            o.ConfigurationOptions = configuration.Clone();

            // Why: an erased user must leave nothing behind in Redis, not an emptied record.
            o.DeleteStateOnClear = true;
        });
        silo.AddRedisGrainStorage("PubSubStore", o => o.ConfigurationOptions = configuration.Clone());
        silo.UseRedisReminderService(o => o.ConfigurationOptions = configuration.Clone());
        return silo;
    }

    public static IClientBuilder UseSegmentsRedis(this IClientBuilder client, RedisOptions redis)
    {
        var configuration = Parse(redis.ConnectionString!);
        client.UseRedisClustering(o => o.ConfigurationOptions = configuration.Clone());
        return client;
    }

    private static OptionsValidationException Invalid(string problem) =>
        new(RedisOptions.Section, typeof(RedisOptions), [$"{RedisOptions.Section}:ConnectionString: {problem}"]);
}
