using System.Buffers.Text;
using System.Text.Json;

namespace Orleans.Segments.Push.StandIns;

/// <summary>A compact JWS split into its parts, as a verifier reads it.</summary>
internal sealed record Jwt(JsonElement Header, JsonElement Claims, byte[] SigningInput, byte[] Signature)
{
    public static Jwt? TryParse(string text)
    {
        string[] parts = text.Split('.');
        if (parts.Length != 3) return null;
        try
        {
            var header = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[0])).RootElement.Clone();
            var claims = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1])).RootElement.Clone();
            if (header.ValueKind != JsonValueKind.Object || claims.ValueKind != JsonValueKind.Object) return null;
            return new Jwt(header, claims, System.Text.Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), Base64Url.DecodeFromChars(parts[2]));
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return null;
        }
    }

    public string? HeaderString(string name) => Header.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    public string? ClaimString(string name) => Claims.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    public long? ClaimNumber(string name) => Claims.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out long n) ? n : null;
}
