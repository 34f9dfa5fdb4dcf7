using System.Security.Cryptography;
using System.Text;

namespace Orleans.Segments.Domain.Webhooks;

/// <summary>
/// The signature of a webhook request: <c>t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256&gt;</c> in the
/// <see cref="Header"/> header, the HMAC keyed with the webhook's secret (its UTF-8 bytes) over
/// <c>&lt;t&gt;.&lt;raw body&gt;</c>. A receiver recomputes it over the bytes it received and compares in
/// constant time, and refuses a <c>t</c> too far from its own clock (replays).
/// </summary>
public static class WebhookSignature
{
    public const string Header = "Segments-Signature";

    /// <summary>The header's value for <paramref name="body"/> sent at <paramref name="at"/>.</summary>
    public static string Sign(string secret, DateTimeOffset at, ReadOnlySpan<byte> body)
    {
        long t = at.ToUnixTimeSeconds();
        return $"t={t},v1={Convert.ToHexStringLower(Mac(secret, t, body))}";
    }

    /// <summary>
    /// Whether <paramref name="header"/> signs <paramref name="body"/> with <paramref name="secret"/> at a time
    /// within <paramref name="tolerance"/> of <paramref name="now"/>.
    /// </summary>
    public static bool Verify(string secret, string? header, ReadOnlySpan<byte> body, DateTimeOffset now, TimeSpan tolerance)
    {
        if (header is null) return false;
        long? t = null;
        var signatures = new List<byte[]>();
        foreach (string part in header.Split(','))
        {
            int eq = part.IndexOf('=');
            if (eq <= 0) continue;
            string name = part[..eq].Trim(), value = part[(eq + 1)..].Trim();
            if (name == "t" && long.TryParse(value, out long seconds)) t = seconds;
            else if (name == "v1" && value.Length == 64)
            {
                try
                {
                    signatures.Add(Convert.FromHexString(value));
                }
                catch (FormatException)
                {
                    // Not a signature; the others may still match.
                }
            }
        }

        if (t is not { } at || Math.Abs(now.ToUnixTimeSeconds() - at) > tolerance.TotalSeconds) return false;
        var expected = Mac(secret, at, body);
        return signatures.Exists(s => CryptographicOperations.FixedTimeEquals(s, expected));
    }

    private static byte[] Mac(string secret, long t, ReadOnlySpan<byte> body)
    {
        byte[] prefix = Encoding.ASCII.GetBytes($"{t}.");
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret));
        hmac.AppendData(prefix);
        hmac.AppendData(body);
        return hmac.GetHashAndReset();
    }

    /// <summary>A new secret: <c>whsec_</c> and 32 random bytes in hex.</summary>
    public static string NewSecret() => "whsec_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
}
