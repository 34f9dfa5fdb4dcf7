using System.Security.Cryptography;
using System.Text.Json;

namespace Orleans.Segments.Push.StandIns;

/// <summary>Credentials made in the test, shaped like the real ones: an APNs .p8 and a Firebase service-account JSON.</summary>
public static class TestKeys
{
    /// <summary>An EC P-256 key and its .p8 text (PKCS#8 PEM), as Apple's developer site hands it out.</summary>
    public static (ECDsa Key, string P8) NewApnsKey()
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return (key, key.ExportPkcs8PrivateKeyPem());
    }

    /// <summary>A service-account JSON holding <paramref name="key"/>, whose <c>token_uri</c> points at <paramref name="tokenUri"/>.</summary>
    public static string ServiceAccountJson(RSA key, Uri tokenUri, string projectId, string clientEmail, string keyId = "test-key-1")
    {
        string json = JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["type"] = "service_account",
            ["project_id"] = projectId,
            ["private_key_id"] = keyId,
            ["private_key"] = key.ExportPkcs8PrivateKeyPem(),
            ["client_email"] = clientEmail,
            ["client_id"] = "100000000000000000001",
            ["auth_uri"] = "https://accounts.google.com/o/oauth2/auth",
            ["token_uri"] = tokenUri.ToString(),
        });
        return json;
    }
}
