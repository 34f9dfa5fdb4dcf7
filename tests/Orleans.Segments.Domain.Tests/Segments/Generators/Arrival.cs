using Orleans.Segments.Domain.Events;

namespace Orleans.Segments.Domain.Tests.Segments.Generators;

/// <summary>
/// Something that reaches a user's profile at <see cref="ReceivedAt"/>: an event (whose own timestamp may be
/// earlier, or up to a day later), a change of consent, or the push services declaring the devices dead.
/// </summary>
public sealed record Arrival(DateTime ReceivedAt, UserEvent? Event = null, bool? Marketing = null, bool InvalidatesDevices = false)
{
    public override string ToString() => this switch
    {
        { Event: { } e } => $"{ReceivedAt:O} {Describe(e)}",
        { Marketing: { } m } => $"{ReceivedAt:O} marketing consent {m}",
        _ => $"{ReceivedAt:O} devices invalidated",
    };

    private static string Describe(UserEvent e)
    {
        var parts = new List<string> { $"{e.Kind} {e.Name} at {e.Timestamp:O}" };
        if (e.Numbers is { } numbers) parts.Add("numbers " + string.Join(",", numbers.Select(n => $"{n.Key}={n.Value}")));
        if (e.Categories is { } categories) parts.Add("categories " + string.Join(",", categories));
        if (e.Traits is { } traits) parts.Add("traits " + string.Join(",", traits.Select(t => $"{t.Key}={t.Value.Kind}:{t.Value}")));
        if (e.Location is { } l) parts.Add($"location {l.Latitude},{l.Longitude} {l.City} {l.Country}");
        if (e.TimeZone is { } zone) parts.Add("zone " + zone);
        if (e.Device is { } device) parts.Add("device " + device.Token);
        return string.Join("; ", parts);
    }
}
