using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;

namespace Orleans.Segments.Server.Ingestion;

/// <summary>
/// Reads a request body up to a limit, without ever buffering more than the limit allows: the one place every
/// route reads its body. The content type is not looked at (Segment's browser library sends JSON as
/// <c>text/plain</c>); <c>Content-Encoding: gzip</c> and <c>deflate</c> are decoded and the decoded size is what
/// the limit counts.
/// </summary>
public static class RequestBody
{
    public enum Outcome
    {
        Ok,
        TooLarge,

        /// <summary>A <c>Content-Encoding</c> other than gzip, deflate or identity.</summary>
        UnsupportedEncoding,

        /// <summary>Compressed data that does not decode (truncated, not gzip).</summary>
        CorruptEncoding,

        /// <summary>The transport failed while the body was read (a malformed chunk, a client gone).</summary>
        Unreadable,
    }

    /// <summary>What reading the body gave: the bytes, or why there are none.</summary>
    public readonly record struct Result(Outcome Outcome, byte[] Body, string? Reason = null)
    {
        public bool IsOk => Outcome == Outcome.Ok;
    }

    /// <summary>
    /// Reads the body (decoded per <c>Content-Encoding</c>); <see cref="Outcome.TooLarge"/> as soon as the declared
    /// or the actual (decoded) size passes <paramref name="limit"/>.
    /// </summary>
    public static async Task<Result> ReadAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        string? encoding = request.Headers.ContentEncoding;
        var coding = Coding(encoding);
        if (coding is null)
        {
            return new Result(Outcome.UnsupportedEncoding, [], $"Content-Encoding '{Shorten(encoding!)}' is not supported; send gzip, deflate or none.");
        }

        if (coding == "identity" && request.ContentLength > limit) return new Result(Outcome.TooLarge, []);

        // Why: compressed data of a body within the limit is at most a little larger than the limit (incompressible
        // input grows by a few bytes per 32 KB block), so the raw read is bounded too.
        int rawLimit = coding == "identity" ? limit : limit + limit / 64 + 1024;
        try
        {
            byte[]? raw = await ReadLimitedAsync(request.Body, rawLimit, cancellationToken);
            if (raw is null) return new Result(Outcome.TooLarge, []);
            if (coding == "identity") return new Result(Outcome.Ok, raw);

            await using var decoder = Decoder(coding, raw);
            byte[]? decoded = await ReadLimitedAsync(decoder, limit, cancellationToken);
            if (decoded is null) return new Result(Outcome.TooLarge, []);

            // Why: a truncated gzip body decodes without an error up to where it stops; its trailer (the size of
            // the whole, modulo 2^32) is what tells it was cut.
            if (coding == "gzip" && (raw.Length < 18 || BinaryPrimitives.ReadUInt32LittleEndian(raw.AsSpan(raw.Length - 4)) != (uint)decoded.Length))
            {
                return new Result(Outcome.CorruptEncoding, [], "The body is not valid gzip data (truncated or corrupt).");
            }

            return new Result(Outcome.Ok, decoded);
        }
        catch (InvalidDataException)
        {
            return new Result(Outcome.CorruptEncoding, [], $"The body is not valid {coding} data (truncated or corrupt).");
        }
        catch (BadHttpRequestException ex)
        {
            return new Result(Outcome.Unreadable, [], $"The body could not be read: {ex.Message}");
        }
        catch (IOException ex) when (!cancellationToken.IsCancellationRequested)
        {
            // Why: Kestrel reports a chunk size that overflows, or a connection dropped mid-body, as an IOException;
            // the client sent something unreadable, which is theirs to fix, not a failure of ours.
            return new Result(Outcome.Unreadable, [], $"The body could not be read: {ex.Message}");
        }
    }

    /// <summary>Reads <paramref name="source"/> to its end, or gives null as soon as it passes <paramref name="limit"/> bytes.</summary>
    private static async Task<byte[]?> ReadLimitedAsync(Stream source, int limit, CancellationToken cancellationToken)
    {
        byte[] rented = ArrayPool<byte>.Shared.Rent(Math.Min(limit + 1, 64 * 1024));
        try
        {
            int length = 0;
            while (true)
            {
                if (length == rented.Length)
                {
                    if (length > limit) return null;
                    byte[] bigger = ArrayPool<byte>.Shared.Rent(Math.Min(rented.Length * 2, limit + 1));
                    rented.AsSpan(0, length).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(rented);
                    rented = bigger;
                }

                int read = await source.ReadAsync(rented.AsMemory(length), cancellationToken);
                if (read == 0) break;
                length += read;
                if (length > limit) return null;
            }

            return rented.AsSpan(0, length).ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// HTTP's "deflate" is zlib-wrapped (RFC 9110), but some clients send raw deflate; the first two bytes tell
    /// which, since a zlib header is a multiple of 31 with compression method 8.
    /// </summary>
    private static Stream Decoder(string coding, byte[] raw)
    {
        var input = new MemoryStream(raw, writable: false);
        if (coding == "gzip") return new GZipStream(input, CompressionMode.Decompress);
        bool zlib = raw.Length >= 2 && (raw[0] & 0x0F) == 8 && ((raw[0] << 8) | raw[1]) % 31 == 0;
        return zlib ? new ZLibStream(input, CompressionMode.Decompress) : new DeflateStream(input, CompressionMode.Decompress);
    }

    /// <summary>The lower-case coding named by the header, "identity" when none, or null when unsupported.</summary>
    private static string? Coding(string? header)
    {
        if (string.IsNullOrWhiteSpace(header)) return "identity";
        string value = header.Trim();
        if (value.Equals("gzip", StringComparison.OrdinalIgnoreCase) || value.Equals("x-gzip", StringComparison.OrdinalIgnoreCase)) return "gzip";
        if (value.Equals("deflate", StringComparison.OrdinalIgnoreCase)) return "deflate";
        if (value.Equals("identity", StringComparison.OrdinalIgnoreCase)) return "identity";
        return null;
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
