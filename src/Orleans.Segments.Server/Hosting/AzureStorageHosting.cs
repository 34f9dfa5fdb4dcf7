using System.Text.RegularExpressions;
using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Options;
using Orleans.Segments.Hosting;

namespace Orleans.Segments.Server.Hosting;

/// <summary>
/// Wires Orleans' own Azure Storage providers: membership and reminders in Table storage, grain state in Blob
/// storage. Why Blob for state: a user's state grows with what is kept of them (message log, send ledger,
/// histories) and a Table entity is capped at 1 MB (64 KB per property), which a long-lived user could pass and
/// then fail to write; a blob has no such limit, and both cost one transaction per write.
/// </summary>
public static partial class AzureStorageHosting
{
    /// <summary>Checks the settings and builds the service clients, or fails with a message naming the setting.</summary>
    public static (BlobServiceClient Blobs, TableServiceClient Tables) Clients(AzureStorageOptions options)
    {
        if (!ContainerName().IsMatch(options.ContainerName))
        {
            throw Invalid("ContainerName", $"'{options.ContainerName}' is not a blob container name Azure accepts (3-63 of a-z, 0-9 and single '-', starting and ending with a letter or digit).");
        }

        foreach (var (setting, table) in new[] { ("MembershipTableName", options.MembershipTableName), ("RemindersTableName", options.RemindersTableName) })
        {
            if (!TableName().IsMatch(table) || table.Equals("tables", StringComparison.OrdinalIgnoreCase))
            {
                throw Invalid(setting, $"'{table}' is not a table name Azure accepts (3-63 letters and digits, starting with a letter).");
            }
        }

        if (options.RequestTimeout <= TimeSpan.Zero) throw Invalid("RequestTimeout", "it must be positive.");
        if (options.MaxRetries is < 0 or > 10) throw Invalid("MaxRetries", "it must be between 0 and 10.");
        var blobOptions = new BlobClientOptions();
        var tableOptions = new TableClientOptions();
        Configure(blobOptions.Retry, options);
        Configure(tableOptions.Retry, options);

        bool hasUris = options.BlobServiceUri is not null || options.TableServiceUri is not null;
        if (!string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            if (hasUris) throw Invalid("ConnectionString", "give a connection string, or BlobServiceUri and TableServiceUri (with DefaultAzureCredential), not both.");
            try
            {
                return (new BlobServiceClient(options.ConnectionString, blobOptions), new TableServiceClient(options.ConnectionString, tableOptions));
            }
            catch (Exception ex) when (ex is FormatException or ArgumentException or InvalidOperationException)
            {
                throw Invalid("ConnectionString", $"it is not a valid storage account connection string ({ex.Message}).");
            }
        }

        if (options.BlobServiceUri is not { IsAbsoluteUri: true } blobUri || options.TableServiceUri is not { IsAbsoluteUri: true } tableUri)
        {
            throw Invalid("BlobServiceUri", "without a connection string, both BlobServiceUri and TableServiceUri are needed (https://<account>.blob.core.windows.net and https://<account>.table.core.windows.net).");
        }

        // Why: managed identity in Azure, the developer's sign-in elsewhere; the role needs Storage Blob Data
        // Contributor and Storage Table Data Contributor on the account.
        var credential = new DefaultAzureCredential();
        return (new BlobServiceClient(blobUri, credential, blobOptions), new TableServiceClient(tableUri, credential, tableOptions));
    }

    public static ISiloBuilder UseSegmentsAzureStorage(this ISiloBuilder silo, AzureStorageOptions options)
    {
        var (blobs, tables) = Clients(options);
        silo.UseAzureStorageClustering(o =>
        {
            o.TableServiceClient = tables;
            o.TableName = options.MembershipTableName;
        });
        silo.AddAzureBlobGrainStorage(SegmentsStorage.Name, o =>
        {
            o.BlobServiceClient = blobs;
            o.ContainerName = options.ContainerName;

            // Why: an erased user must leave nothing behind, not an emptied blob.
            o.DeleteStateOnClear = true;
        });
        silo.AddAzureBlobGrainStorage("PubSubStore", o =>
        {
            o.BlobServiceClient = blobs;
            o.ContainerName = options.ContainerName;
        });
        silo.UseAzureTableReminderService(o =>
        {
            o.TableServiceClient = tables;
            o.TableName = options.RemindersTableName;
        });
        return silo;
    }

    public static IClientBuilder UseSegmentsAzureStorage(this IClientBuilder client, AzureStorageOptions options)
    {
        var (_, tables) = Clients(options);
        client.UseAzureStorageClustering(o =>
        {
            o.TableServiceClient = tables;
            o.TableName = options.MembershipTableName;
        });
        return client;
    }

    /// <summary>
    /// A storage request that hangs (an account under throttling, a network partition) fails after
    /// <see cref="AzureStorageOptions.RequestTimeout"/> and a few quick retries, so the API answers 503 in seconds
    /// rather than after the SDK's default of minutes.
    /// </summary>
    private static void Configure(RetryOptions retry, AzureStorageOptions options)
    {
        retry.NetworkTimeout = options.RequestTimeout;
        retry.MaxRetries = options.MaxRetries;
        retry.Mode = RetryMode.Exponential;
        retry.Delay = TimeSpan.FromMilliseconds(200);
        retry.MaxDelay = TimeSpan.FromSeconds(2);
    }

    private static OptionsValidationException Invalid(string setting, string problem) =>
        new(AzureStorageOptions.Section, typeof(AzureStorageOptions), [$"{AzureStorageOptions.Section}:{setting}: {problem}"]);

    [GeneratedRegex(@"\A(?!.*--)[a-z0-9][a-z0-9-]{1,61}[a-z0-9]\z")]
    private static partial Regex ContainerName();

    [GeneratedRegex(@"\A[A-Za-z][A-Za-z0-9]{2,62}\z")]
    private static partial Regex TableName();
}
