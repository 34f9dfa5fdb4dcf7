using System.Security.Cryptography;

namespace Orleans.Segments.Push.Apns;

/// <summary>Loads an APNs signing key: a .p8 file is a PKCS#8 PEM holding an EC P-256 private key.</summary>
internal static class ApnsKey
{
    private const string P256Oid = "1.2.840.10045.3.1.7";

    /// <summary>The key of <paramref name="options"/>; throws <see cref="InvalidDataException"/> with a message safe to show.</summary>
    public static ECDsa Load(ApnsOptions options)
    {
        string text = options.PrivateKey
            ?? (options.PrivateKeyPath is { } path ? ReadFile(path) : throw new InvalidDataException("no PrivateKey or PrivateKeyPath is set"));

        var key = ECDsa.Create();
        try
        {
            if (text.Contains("-----BEGIN", StringComparison.Ordinal))
            {
                key.ImportFromPem(text);
            }
            else
            {
                // Why: people paste the .p8's base64 body without its PEM lines; accept that too.
                key.ImportPkcs8PrivateKey(Convert.FromBase64String(text), out _);
            }

            var curve = key.ExportParameters(includePrivateParameters: false).Curve;
            if (!curve.IsNamed || (curve.Oid.Value != P256Oid && curve.Oid.FriendlyName is not ("nistP256" or "ECDSA_P256" or "prime256v1")))
            {
                throw new InvalidDataException("the key is an EC key but not on the P-256 curve");
            }

            return key;
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException or FormatException)
        {
            key.Dispose();
            // Why: the messages of these exceptions never quote the key, so they are safe to show.
            throw new InvalidDataException($"not an EC P-256 private key in PKCS#8 (.p8) form: {e.Message}", e);
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    private static string ReadFile(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"the key file cannot be read: {e.Message}", e);
        }
    }
}
