using Azure;
using Microsoft.Extensions.Options;

namespace Orleans.Segments.Server.Hosting;

/// <summary>
/// Fails start-up at once, with a message naming the setting, when the storage account cannot be reached or
/// refuses the credentials, and creates the state container and the tables Orleans will use (so a name Azure
/// refuses is caught here too). Registered before Orleans, like the Redis check.
/// </summary>
public sealed partial class AzureStorageStartupCheck(IOptions<AzureStorageOptions> options, ILogger<AzureStorageStartupCheck> logger) : StartupCheck
{
    public override async Task StartingAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var (blobs, tables) = AzureStorageHosting.Clients(settings);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(settings.StartupTimeout);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            await blobs.GetBlobContainerClient(settings.ContainerName).CreateIfNotExistsAsync(cancellationToken: deadline.Token);
            await tables.CreateTableIfNotExistsAsync(settings.MembershipTableName, deadline.Token);
            await tables.CreateTableIfNotExistsAsync(settings.RemindersTableName, deadline.Token);
            LogReached(blobs.Uri.Host, clock.Elapsed.TotalMilliseconds);
        }
        catch (Exception ex) when (ex is RequestFailedException or AggregateException or OperationCanceledException or Azure.Identity.AuthenticationFailedException
                                       && !cancellationToken.IsCancellationRequested)
        {
            string why = ex switch
            {
                RequestFailedException { Status: 403 } => "it refused the credentials (a wrong account key, an expired SAS, or a missing role assignment)",
                RequestFailedException { Status: 400 } failed => $"it refused a name or a request ({failed.ErrorCode})",
                RequestFailedException failed => $"it answered {failed.Status} {failed.ErrorCode}",
                OperationCanceledException => $"it did not answer within {settings.StartupTimeout.TotalSeconds:0} s",
                _ => FirstLine(ex.Message),
            };
            throw new InvalidOperationException(
                $"{AzureStorageOptions.Section}: the storage account at {blobs.Uri.GetLeftPart(UriPartial.Authority)} could not be used: {why}. " +
                "Check the connection string (or the service URIs and the identity's roles), or unset the section to run embedded.", ex);
        }
    }

    [LoggerMessage(EventId = 11, Level = LogLevel.Information, Message = "Azure Storage at {Host} answered in {Milliseconds} ms")]
    private partial void LogReached(string host, double milliseconds);
}
