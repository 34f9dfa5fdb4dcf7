using System.Globalization;
using Orleans.Segments.Domain.Events;
using Orleans.Segments.Domain.Geofences;
using Orleans.Segments.Domain.Segments;

namespace Orleans.Segments.Benchmarks.Workload;

/// <summary>
/// 100 segments as a campaign manager of a shopping app would define them: 25 kinds (lifecycle, traits,
/// windows, recency, interests, places, consent, a few <c>in_segment</c>) in 4 variants each, and the
/// geofences their <c>inside</c> conditions name. In definition order: a segment comes after those it names.
/// </summary>
public static class TypicalSegments
{
    private static readonly string[] Stages = ["new", "active", "loyal", "at_risk"];
    private static readonly string[] Zones = ["Europe/Berlin", "Europe/Paris", "Europe/Lisbon", "Europe/Madrid"];
    private static readonly string[] Countries = ["DE", "FR", "PT", "ES"];
    private static readonly string[] TraitNames = ["email", "first_name", "age", "city"];

    /// <summary>Spots in Berlin (where the benchmark's users mostly live) that rules name by distance or fence.</summary>
    private static readonly (double Lat, double Lon)[] Spots = [(52.5251, 13.3694), (52.5219, 13.4132), (52.5163, 13.3777), (52.5096, 13.3760)];

    private static readonly Func<int, string>[] Kinds =
    [
        v => $"stage = \"{Stages[v]}\"",
        v => $"stage = \"active\" and time_in_stage > {7 * (v + 1)}d",
        v => $"trait(\"plan\") = \"premium\" and count(\"Order Completed\", {new[] { 14, 30, 60, 90 }[v]}d) >= {1 + v % 2}",
        v => $"has_trait(\"{TraitNames[v]}\") and subscribed(\"marketing\")",
        v => $"count(\"Product Viewed\", {new[] { 1, 7, 14, 30 }[v]}d) >= {new[] { 3, 5, 10, 20 }[v]}",
        v => $"sum(\"Order Completed\", \"revenue\", {new[] { 30, 60, 90, 90 }[v]}d) > {new[] { 100, 250, 500, 1000 }[v]}",
        v => $"since_last(\"Application Opened\") > {new[] { 3, 7, 14, 30 }[v]}d",
        v => $"since_first_seen < {new[] { 1, 7, 30, 60 }[v]}d and has_push_token",
        v => $"interest(\"{Persona.AllCategories[v]}\") >= 0.{3 + v}",
        v => $"top_interest = \"{Persona.AllCategories[4 + v]}\"",
        v => $"near({Spot(v)}, {new[] { "500m", "1km", "2km", "5km" }[v]}) and has_push_token",
        v => $"inside(\"{FenceId(v)}\")",
        v => $"timezone = \"{Zones[v]}\"",
        v => $"trait(\"age\") >= {new[] { 18, 25, 35, 50 }[v]} and trait(\"newsletter\") = true",
        v => $"stage in (\"at_risk\", \"lapsed\") and count(\"Order Completed\", {30 * (v + 1) - (v == 3 ? 30 : 0)}d) >= 1 and subscribed(\"marketing\")",
        v => $"top_interest = \"{Persona.AllCategories[v]}\" and count(\"Order Completed\", 30d) >= {1 + v} and sum(\"Order Completed\", \"revenue\", 90d) > 500",
        v => $"(near({Spot(v)}, 1km) or inside(\"{FenceId(4 + v)}\")) and has_push_token",
        v => $"since_last(\"Application Opened\") > {new[] { 7, 14, 21, 28 }[v]}d and since_first_seen > 14d",
        v => $"trait(\"plan\") in (\"pro\", \"team\", \"premium\") and trait(\"age\") >= 18 and timezone = \"{Zones[v]}\"",
        v => $"count(\"Product Added\", {new[] { 1, 7, 30, 90 }[v]}d) >= 1 and count(\"Order Completed\", 30d) = 0",
        v => $"since_last(\"Product Viewed\") < {new[] { "1h", "1d", "3d", "7d" }[v]}",
        v => $"trait(\"country\") = \"{Countries[v]}\" and subscribed(\"transactional\")",
        v => $"count(\"Screen Viewed\", 30d) >= {2 * (v + 1)} and not has_push_token",
        v => $"in_segment(\"{Id(4, v)}\") and in_segment(\"{Id(10, v)}\")",
        v => $"stage = \"loyal\" and interest(\"{Persona.AllCategories[v]}\") >= 0.5",
    ];

    /// <summary>The 100 definitions, each segment after the segments it names.</summary>
    public static IReadOnlyList<SegmentDefinition> Definitions { get; } =
        Enumerable.Range(0, Kinds.Length * 4).Select(i => new SegmentDefinition(Id(i / 4, i % 4), $"Typical {i}", Kinds[i / 4](i % 4))).ToArray();

    /// <summary>The 8 fences the <c>inside</c> conditions name: circles of 300 m to 1 km around the spots.</summary>
    public static IReadOnlyList<Geofence> Fences { get; } =
        Enumerable.Range(0, 8).Select(i => new Geofence(FenceId(i), $"Spot {i}", new GeoPoint(Spots[i % 4].Lat, Spots[i % 4].Lon), 300 + 100 * i, null)).ToArray();

    private static string Id(int kind, int variant) => $"t{kind:D2}-{variant}";

    private static string FenceId(int i) => $"spot-{i}";

    private static string Spot(int v) =>
        string.Create(CultureInfo.InvariantCulture, $"{Spots[v].Lat}, {Spots[v].Lon}");
}
