using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Orleans.Segments.Hosting;

namespace Orleans.Segments.Server.Apps;

/// <summary>
/// The apps served and their keys. Keys are held only as SHA-256 hashes and compared in constant time; a key
/// belongs to exactly one app, which is how no key of one app ever reaches another app's users.
/// </summary>
public sealed class AppCatalog
{
    private readonly Dictionary<string, (byte[] Hash, AppCaller Caller)> byHash = new(StringComparer.Ordinal);

    public AppCatalog(IOptions<SegmentsOptions> options, GeneratedKeys generated)
    {
        foreach (var (appId, app) in options.Value.Apps)
        {
            Add(app.WriteKey ?? generated.For(appId, KeyRole.Write), new AppCaller(appId, KeyRole.Write));
            Add(app.AdminKey ?? generated.For(appId, KeyRole.Admin), new AppCaller(appId, KeyRole.Admin));
        }
    }

    public IEnumerable<string> AppIds => byHash.Values.Select(v => v.Caller.AppId).Distinct();

    /// <summary>The caller a key identifies, or null for an unknown key.</summary>
    public AppCaller? Find(string? key)
    {
        if (string.IsNullOrEmpty(key) || key.Length > 256) return null;
        var hash = Hash(key);
        if (!byHash.TryGetValue(Convert.ToHexString(hash), out var entry)) return null;
        return CryptographicOperations.FixedTimeEquals(hash, entry.Hash) ? entry.Caller : null;
    }

    private void Add(string key, AppCaller caller)
    {
        var hash = Hash(key);
        if (!byHash.TryAdd(Convert.ToHexString(hash), (hash, caller)))
        {
            throw new OptionsValidationException(SegmentsOptions.Section, typeof(SegmentsOptions),
                [$"Segments:Apps:{caller.AppId}: the {caller.Role} key is already used by another app or role."]);
        }
    }

    private static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
