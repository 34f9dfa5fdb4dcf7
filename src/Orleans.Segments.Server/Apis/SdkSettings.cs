using System.Text.Json.Serialization;

namespace Orleans.Segments.Server.Apis;

/// <summary>
/// The shape of Segment's CDN settings that its SDKs read: only the Segment.io destination (this server), no
/// device-mode integrations or middleware that would make analytics-next load code from Segment's CDN, and
/// SDK telemetry off (it would go to Segment).
/// </summary>
public sealed record SdkSettings(
    Dictionary<string, SegmentIoSettings> Integrations,
    SdkPlan Plan,
    Dictionary<string, object> EdgeFunction,
    bool AnalyticsNextEnabled,
    Dictionary<string, object> MiddlewareSettings,
    Dictionary<string, bool> EnabledMiddleware,
    SdkMetrics Metrics,
    bool LegacyVideoPluginsEnabled,
    System.Text.Json.Nodes.JsonObject[] RemotePlugins)
{
    public static SdkSettings For(string writeKey, string apiHost, string protocol) => new(
        new() { ["Segment.io"] = new SegmentIoSettings(writeKey, apiHost, protocol, [], true, []) },
        new SdkPlan(
            new() { ["__default"] = new PlanEntry(true, []) },
            new() { ["__default"] = new PlanEntry(true, null) },
            new() { ["__default"] = new PlanEntry(true, null) }),
        [],
        true,
        [],
        [],
        new SdkMetrics(0),
        false,
        []);
}

/// <summary>The Segment.io destination: where to send events, with which key.</summary>
public sealed record SegmentIoSettings(
    string ApiKey,
    string ApiHost,
    string Protocol,
    string[] UnbundledIntegrations,
    bool AddBundledMetadata,
    Dictionary<string, string> MaybeBundledConfigIds);

public sealed record SdkPlan(Dictionary<string, PlanEntry> Track, Dictionary<string, PlanEntry> Identify, Dictionary<string, PlanEntry> Group);

public sealed record PlanEntry(
    bool Enabled,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Dictionary<string, bool>? Integrations);

/// <summary>SDK telemetry: a sample rate of 0 keeps it off.</summary>
public sealed record SdkMetrics(double SampleRate);
