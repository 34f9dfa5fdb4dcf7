using System.Security.Cryptography;
using Microsoft.Extensions.Caching.Memory;

namespace Orleans.Segments.Server.Console;

/// <summary>
/// Forms posted after the session expired, kept for 15 minutes under a random key so that signing in again can send
/// them on: nothing typed into a form is lost to an expired session. Kept in this process's memory (at most 200
/// forms of at most 256 KB); behind several gateways without sticky sessions the sign-in may land elsewhere and
/// say that the form could not be kept.
/// </summary>
public sealed class PendingForms : IDisposable
{
    private readonly MemoryCache cache = new(new MemoryCacheOptions { SizeLimit = 200 });

    public string Keep(string target, IFormCollection form)
    {
        var fields = form.Where(f => f.Key != "__RequestVerificationToken")
            .SelectMany(f => f.Value.Select(v => new KeyValuePair<string, string>(f.Key, v ?? "")))
            .ToList();
        string key = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        if (fields.Sum(f => f.Key.Length + f.Value.Length) <= 256 * 1024)
        {
            cache.Set(key, new PendingForm(target, fields), new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(15) });
        }

        return key;
    }

    public bool Has(string key) => cache.TryGetValue(key, out _);

    /// <summary>The form kept under <paramref name="key"/>; it stays for its 15 minutes, so reloading the page does not lose it.</summary>
    public PendingForm? Find(string? key) => key is not null && cache.TryGetValue(key, out PendingForm? form) ? form : null;

    public void Dispose() => cache.Dispose();
}

/// <summary>A form to post again: where to, and its fields in order.</summary>
public sealed record PendingForm(string Target, IReadOnlyList<KeyValuePair<string, string>> Fields);
