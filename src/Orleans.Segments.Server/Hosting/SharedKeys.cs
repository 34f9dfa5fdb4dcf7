using System.Xml.Linq;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using StackExchange.Redis;

namespace Orleans.Segments.Server.Hosting;

/// <summary>
/// The keys that protect the console's session and antiforgery cookies, kept where every gateway reads them: in
/// Redis or in the Blob container of the cluster's backend. Without this each process made its own keys, so a
/// manager signed in on one gateway was sent back to the sign-in page by the next. Embedded runs keep ASP.NET's
/// default (one process).
/// </summary>
public static class SharedKeys
{
    public const string ApplicationName = "Orleans.Segments";

    /// <summary>The Redis key (a list of key XML documents) and the blob that hold the key ring.</summary>
    public const string RedisKey = "segments:console-keys";

    public const string BlobName = "console-keys.xml";

    public static IServiceCollection AddSharedConsoleKeys(this IServiceCollection services, StorageBackend backend)
    {
        var protection = services.AddDataProtection().SetApplicationName(ApplicationName);
        switch (backend.Kind)
        {
            case StorageKind.Redis:
                var configuration = RedisHosting.Parse(backend.Redis.ConnectionString!);
                configuration.AbortOnConnectFail = false;
                var connection = new Lazy<IConnectionMultiplexer>(() => ConnectionMultiplexer.Connect(configuration));
                protection.PersistKeysToStackExchangeRedis(() => connection.Value.GetDatabase(), RedisKey);
                break;
            case StorageKind.AzureStorage:
                var (blobs, _) = AzureStorageHosting.Clients(backend.Azure);
                var container = blobs.GetBlobContainerClient(backend.Azure.ContainerName);
                services.Configure<KeyManagementOptions>(o => o.XmlRepository = new BlobXmlRepository(container.GetBlobClient(BlobName)));
                break;
        }

        return services;
    }
}

/// <summary>
/// The key ring as one XML blob, changed with an ETag condition so two gateways adding a key at once never lose
/// one (the loser reads again and retries). Written by hand: the registry serves no blob key store for
/// ASP.NET Data Protection (Azure.Extensions.AspNetCore.DataProtection.Blobs is not among its packages).
/// </summary>
public sealed class BlobXmlRepository(BlobClient blob) : IXmlRepository
{
    private const int Attempts = 10;

    public IReadOnlyCollection<XElement> GetAllElements() => Read().Document.Root!.Elements().ToList();

    public void StoreElement(XElement element, string friendlyName)
    {
        for (int attempt = 1; ; attempt++)
        {
            var (document, etag) = Read();
            document.Root!.Add(new XElement(element));
            try
            {
                using var content = new MemoryStream();
                document.Save(content);
                content.Position = 0;
                var conditions = etag is { } tag ? new BlobRequestConditions { IfMatch = tag } : new BlobRequestConditions { IfNoneMatch = ETag.All };
                blob.Upload(content, new BlobUploadOptions { Conditions = conditions });
                return;
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412 && attempt < Attempts)
            {
                // Another process changed the ring between our read and write: read it again.
            }
        }
    }

    private (XDocument Document, ETag? ETag) Read()
    {
        try
        {
            var download = blob.DownloadContent();
            return (XDocument.Load(download.Value.Content.ToStream()), download.Value.Details.ETag);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // Why: the container is made by the grain storage at start; a gateway may ask first.
            if (ex.ErrorCode == BlobErrorCode.ContainerNotFound) blob.GetParentBlobContainerClient().CreateIfNotExists();
            return (new XDocument(new XElement("repository")), null);
        }
    }
}
