using System.Collections.Concurrent;

namespace Orleans.Segments.Push.Apns;

/// <summary>
/// The provider tokens of the process, one per team and key: apps that share a team's .p8 key also share its
/// token, so Apple sees one token renewed at the allowed rate, not one per app.
/// </summary>
internal sealed class ApnsProviderTokens(TimeProvider time) : IDisposable
{
    private readonly ConcurrentDictionary<(string TeamId, string KeyId), Lazy<ApnsProviderToken>> tokens = new();

    /// <summary>The token of <paramref name="options"/>' team and key; the first app to ask sets its refresh interval.</summary>
    public ApnsProviderToken For(ApnsOptions options) =>
        tokens.GetOrAdd((options.TeamId!, options.KeyId!), _ => new Lazy<ApnsProviderToken>(() =>
            new ApnsProviderToken(ApnsKey.Load(options), options.KeyId!, options.TeamId!, options.TokenRefreshInterval, time))).Value;

    public void Dispose()
    {
        foreach (var token in tokens.Values.Where(t => t.IsValueCreated)) token.Value.Dispose();
    }
}
