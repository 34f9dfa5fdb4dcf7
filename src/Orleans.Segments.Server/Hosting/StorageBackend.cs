using Microsoft.Extensions.Options;

namespace Orleans.Segments.Server.Hosting;

/// <summary>Where a cluster keeps membership, grain state and reminders.</summary>
public enum StorageKind
{
    /// <summary>In this process: localhost clustering, state lost on exit (the default with nothing configured).</summary>
    Embedded,
    Redis,
    AzureStorage,
}

/// <summary>The one durable backend this process uses, with its settings.</summary>
public sealed record StorageBackend(StorageKind Kind, RedisOptions Redis, AzureStorageOptions Azure)
{
    /// <summary>The backend the settings name; two named at once is a configuration error, stopped at start.</summary>
    public static StorageBackend Choose(RedisOptions redis, AzureStorageOptions azure)
    {
        if (redis.Enabled && azure.Enabled)
        {
            throw new OptionsValidationException("Segments", typeof(StorageBackend),
            [
                "Both Segments:Redis:ConnectionString and Segments:AzureStorage are set: a cluster keeps its state in exactly one backend. " +
                "Remove one of them (moving from one to the other takes an export and import of the data; see docs/operations.md).",
            ]);
        }

        var kind = redis.Enabled ? StorageKind.Redis : azure.Enabled ? StorageKind.AzureStorage : StorageKind.Embedded;
        return new StorageBackend(kind, redis, azure);
    }
}
