using System.Security.Cryptography;
using Google.Apis.Auth.OAuth2;
using Google.Apis.Json;
using Newtonsoft.Json;

namespace Orleans.Segments.Push.Fcm;

/// <summary>Reads and checks a service account's JSON key, the file the Firebase console hands out.</summary>
internal static class FcmServiceAccount
{
    /// <summary>The parsed key of <paramref name="options"/>; throws <see cref="InvalidDataException"/> with a message safe to show.</summary>
    public static JsonCredentialParameters Load(FcmOptions options)
    {
        string json = options.ServiceAccountJson
            ?? (options.ServiceAccountPath is { } path ? ReadFile(path) : throw new InvalidDataException("no ServiceAccountJson or ServiceAccountPath is set"));

        JsonCredentialParameters? parameters;
        try
        {
            parameters = NewtonsoftJsonSerializer.Instance.Deserialize<JsonCredentialParameters>(json);
        }
        catch (JsonException e)
        {
            // Why: the JSON reader's message names a line and position, never the secret around it.
            throw new InvalidDataException($"the service account is not valid JSON ({e.GetType().Name} at the position it names)", e);
        }

        if (parameters is null) throw new InvalidDataException("the service account JSON is empty");
        if (parameters.Type != JsonCredentialParameters.ServiceAccountCredentialType)
        {
            throw new InvalidDataException($"the JSON's \"type\" is \"{parameters.Type}\", not \"service_account\"");
        }

        if (string.IsNullOrWhiteSpace(parameters.ClientEmail)) throw new InvalidDataException("the service account JSON has no \"client_email\"");
        if (string.IsNullOrWhiteSpace(parameters.PrivateKey)) throw new InvalidDataException("the service account JSON has no \"private_key\"");
        if (parameters.TokenUri is { } tokenUri && !Uri.TryCreate(tokenUri, UriKind.Absolute, out _))
        {
            throw new InvalidDataException("the service account JSON's \"token_uri\" is not an absolute URI");
        }

        using var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(parameters.PrivateKey);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            throw new InvalidDataException($"the service account's \"private_key\" is not an RSA private key in PEM form: {e.Message}", e);
        }

        return parameters;
    }

    private static string ReadFile(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"the service account file cannot be read: {e.Message}", e);
        }
    }
}
