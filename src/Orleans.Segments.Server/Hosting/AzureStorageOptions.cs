namespace Orleans.Segments.Server.Hosting;

/// <summary>
/// The Azure Storage backend, bound from <c>Segments:AzureStorage</c>: grain state in Blob storage, membership
/// and reminders in Table storage, with Orleans' own Azure providers. Either a connection string (an account
/// key or a SAS, or Azurite's) or the two service URIs with <c>DefaultAzureCredential</c> (managed identity).
/// </summary>
public sealed class AzureStorageOptions
{
    public const string Section = "Segments:AzureStorage";

    /// <summary>
    /// A storage account connection string: <c>DefaultEndpointsProtocol=https;AccountName=…;AccountKey=…;EndpointSuffix=core.windows.net</c>,
    /// or <c>UseDevelopmentStorage=true</c> for a local Azurite. Default: none.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>The Blob service of the account, e.g. <c>https://account.blob.core.windows.net</c>, used with <c>DefaultAzureCredential</c>. Default: none.</summary>
    public Uri? BlobServiceUri { get; set; }

    /// <summary>The Table service of the account, e.g. <c>https://account.table.core.windows.net</c>, used with <c>DefaultAzureCredential</c>. Default: none.</summary>
    public Uri? TableServiceUri { get; set; }

    /// <summary>The blob container grain state is kept in (3–63 of a-z, 0-9 and '-'). Default: <c>segments-state</c>.</summary>
    public string ContainerName { get; set; } = "segments-state";

    /// <summary>The table silos register in (3–63 letters and digits, starting with a letter). Default: <c>SegmentsSilos</c>.</summary>
    public string MembershipTableName { get; set; } = "SegmentsSilos";

    /// <summary>The table reminders are kept in. Default: <c>SegmentsReminders</c>.</summary>
    public string RemindersTableName { get; set; } = "SegmentsReminders";

    /// <summary>How long start-up waits for the account to answer before it gives up with a clear error. Default: 10 seconds.</summary>
    public TimeSpan StartupTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long one storage request may take before it is tried again or fails (and the API answers 503). Default: 10 seconds.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often a failed storage request is tried again before it fails. Default: 2.</summary>
    public int MaxRetries { get; set; } = 2;

    public bool Enabled => !string.IsNullOrWhiteSpace(ConnectionString) || BlobServiceUri is not null || TableServiceUri is not null;
}
