using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Orleans.Segments.Server.Apps;

/// <summary>Keys made up at start-up for apps (and the operator) whose keys are not configured, so they can be printed once.</summary>
public sealed class GeneratedKeys
{
    private readonly ConcurrentDictionary<(string AppId, KeyRole Role), string> keys = new();
    private readonly Lazy<string> operatorKey = new(() => "op_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)));

    public string For(string appId, KeyRole role) =>
        keys.GetOrAdd((appId, role), static k =>
            (k.Role == KeyRole.Write ? "wk_" : "ak_") + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)));

    public IReadOnlyDictionary<(string AppId, KeyRole Role), string> All => keys;

    /// <summary>The operator key of the dashboard and <c>/metrics</c>, made up when none is configured.</summary>
    public string Operator => operatorKey.Value;
}
