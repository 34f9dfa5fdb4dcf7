using Orleans.Segments.Domain.Behaviour;

namespace Orleans.Segments.Domain.Profile;

/// <summary>
/// Merges an anonymous visitor's profile into the known user it turned out to be (identify with both ids, or
/// alias). Counts add up, newer values win, consents stay the known user's.
/// </summary>
public static class ProfileMerger
{
    public static void Merge(UserProfileState target, UserProfileState source, DateTime now, UserModelPolicy policy)
    {
        if (!source.Exists) return;
        if (target.CreatedAt is null || source.CreatedAt < target.CreatedAt) target.CreatedAt = source.CreatedAt;

        target.Activity.MergeFrom(source.Activity);
        foreach (var (name, counter) in source.Counters)
        {
            if (!target.Counters.TryGetValue(name, out var mine))
            {
                mine = new EventCounter();
                target.Counters[name] = mine;
            }

            mine.MergeFrom(counter, now);
        }

        target.Interests.MergeFrom(source.Interests, policy.Interests);

        foreach (var (key, value) in source.Traits)
        {
            if (!target.Traits.TryGetValue(key, out var current) || value.SetAt > current.SetAt) target.Traits[key] = value;
        }

        if (source.Location is { } location && (target.Location is null || location.At > target.Location.At)) target.Location = location;
        if (source.TimeZoneAt is { } zoneAt && (target.TimeZoneAt is null || zoneAt > target.TimeZoneAt))
        {
            target.TimeZone = source.TimeZone;
            target.TimeZoneAt = zoneAt;
        }

        foreach (var device in source.Devices)
        {
            if (device.IsLive) ProfileUpdater.RegisterDevice(target, new Events.DeviceToken(device.Token, device.Platform), device.LastSeenAt, policy);
        }

        foreach (var device in source.AppDevices)
        {
            ProfileUpdater.SeeAppDevice(target, device.Context, device.LastSeenAt, policy);
        }

        for (int i = 0; i < source.MessageIds.Hashes.Count; i++)
        {
            ulong hash = source.MessageIds.Hashes[i];
            if (!target.MessageIds.Contains(hash)) target.MessageIds.Add(hash, new DateTime(source.MessageIds.ArrivedAt[i], DateTimeKind.Utc), policy.Dedupe);
        }

        target.EventsApplied += source.EventsApplied;
    }
}
