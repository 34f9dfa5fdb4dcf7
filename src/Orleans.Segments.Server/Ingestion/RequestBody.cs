using System.Buffers;
using System.IO.Compression;

namespace Orleans.Segments.Server.Ingestion;

/// <summary>Reads a request body up to a limit, without ever buffering more than the limit allows.</summary>
public static class RequestBody
{
    public enum Outcome
    {
        Ok,
        TooLarge,
        BadEncoding,
    }

    /// <summary>
    /// Reads the body (gzip-decoded when <c>Content-Encoding: gzip</c>); <see cref="Outcome.TooLarge"/> as soon as
    /// the declared or the actual (decoded) size passes <paramref name="limit"/>.
    /// </summary>
    public static async Task<(Outcome Outcome, byte[] Body)> ReadAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        string? encoding = request.Headers.ContentEncoding;
        bool gzip = string.Equals(encoding, "gzip", StringComparison.OrdinalIgnoreCase);
        if (!string.IsNullOrEmpty(encoding) && !gzip && !string.Equals(encoding, "identity", StringComparison.OrdinalIgnoreCase))
        {
            return (Outcome.BadEncoding, []);
        }

        if (!gzip && request.ContentLength > limit) return (Outcome.TooLarge, []);

        Stream source = gzip ? new GZipStream(request.Body, CompressionMode.Decompress, leaveOpen: true) : request.Body;
        byte[] rented = ArrayPool<byte>.Shared.Rent(Math.Min(limit + 1, 64 * 1024));
        try
        {
            int length = 0;
            while (true)
            {
                if (length == rented.Length)
                {
                    if (length > limit) return (Outcome.TooLarge, []);
                    byte[] bigger = ArrayPool<byte>.Shared.Rent(Math.Min(rented.Length * 2, limit + 1));
                    rented.AsSpan(0, length).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(rented);
                    rented = bigger;
                }

                int read;
                try
                {
                    read = await source.ReadAsync(rented.AsMemory(length), cancellationToken);
                }
                catch (InvalidDataException)
                {
                    return (Outcome.BadEncoding, []);
                }

                if (read == 0) break;
                length += read;
                if (length > limit) return (Outcome.TooLarge, []);
            }

            return (Outcome.Ok, rented.AsSpan(0, length).ToArray());
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
            if (gzip) await source.DisposeAsync();
        }
    }
}
