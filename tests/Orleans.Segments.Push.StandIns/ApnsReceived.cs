using System.Text.Json;

namespace Orleans.Segments.Push.StandIns;

/// <summary>A request the APNs stand-in accepted (or answered as scripted), with what a test wants to look at.</summary>
public sealed record ApnsReceived(
    string DeviceToken,
    string ProviderToken,
    IReadOnlyDictionary<string, string> Headers,
    JsonElement Payload,
    int PayloadBytes,
    string ConnectionId,
    string Protocol);
