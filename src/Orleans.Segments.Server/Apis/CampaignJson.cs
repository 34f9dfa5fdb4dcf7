using System.Globalization;
using System.Text.Json;
using Orleans.Segments.Domain;
using Orleans.Segments.Domain.Campaigns;

namespace Orleans.Segments.Server.Apis;

/// <summary>
/// Reads a campaign definition from the API's JSON and writes it back in the same shape, collecting every
/// problem with its path. Durations are written like the rule language's: <c>30m</c>, <c>12h</c>, <c>7d</c>, <c>2w</c>.
/// </summary>
public static class CampaignJson
{
    private static readonly string[] TriggerTypes = ["segment_entry", "lifecycle", "event", "geofence_entry", "schedule", "manual"];

    public static CampaignDefinition? Read(string id, JsonElement body, List<string> errors)
    {
        var reader = new Reader(errors);
        string name = reader.String(body, "name", 200) ?? id;
        var category = reader.Enum(body, "category", "marketing", ["marketing", "transactional"]) == "transactional" ? MessageCategory.Transactional : MessageCategory.Marketing;
        var priority = reader.Enum(body, "priority", "normal", ["low", "normal", "high"]) switch
        {
            "low" => MessagePriority.Low,
            "high" => MessagePriority.High,
            _ => MessagePriority.Normal,
        };

        string? audienceSegment = null, audienceRule = null;
        if (reader.String(body, "id", 64) is { } bodyId && bodyId != id) errors.Add($"id: '{bodyId}' does not match the id in the path ('{id}').");
        if (reader.Object(body, "audience") is { } audience)
        {
            reader.RejectUnknown(audience, "audience.", ["segment", "rule"]);
            audienceSegment = reader.String(audience, "segment", 64, "audience.");
            audienceRule = reader.String(audience, "rule", 4000, "audience.");
        }

        var trigger = reader.Object(body, "trigger") is { } t ? ReadTrigger(t, reader) : null;
        if (trigger is null && !errors.Exists(e => e.StartsWith("trigger"))) errors.Add("trigger: required, e.g. {\"type\": \"event\", \"event\": \"Order Completed\"}.");
        var message = reader.Object(body, "message") is { } m ? ReadMessage(m, reader, "message.") : null;
        if (message is null && !errors.Exists(e => e.StartsWith("message"))) errors.Add("message: required, e.g. {\"title\": \"Hi {{ traits.first_name }}\", \"body\": \"...\"}.");

        var variants = new List<VariantMessage>();
        if (reader.Array(body, "variants") is { } array)
        {
            int i = 0;
            foreach (var v in array.EnumerateArray())
            {
                string path = $"variants[{i++}].";
                if (v.ValueKind != JsonValueKind.Object)
                {
                    errors.Add($"{path[..^1]}: must be an object.");
                    continue;
                }

                reader.RejectUnknown(v, path, ["name", "percent", "message"]);
                string? variantName = reader.String(v, "name", 64, path);
                double? percent = reader.Number(v, "percent", path);
                var variantMessage = reader.Object(v, "message", path) is { } vm ? ReadMessage(vm, reader, path + "message.") : null;
                if (variantName is null || percent is null || variantMessage is null)
                {
                    errors.Add($"{path[..^1]}: needs \"name\", \"percent\" and \"message\".");
                    continue;
                }

                if (variantName == VariantAssigner.Holdout) errors.Add($"{path}name: '{VariantAssigner.Holdout}' is reserved for the holdout group.");
                variants.Add(new VariantMessage(variantName, percent.Value, variantMessage));
            }
        }

        int? capLimit = null;
        TimeSpan? capWindow = null;
        if (reader.Object(body, "cap") is { } cap)
        {
            reader.RejectUnknown(cap, "cap.", ["limit", "window"]);
            capLimit = (int?)reader.Number(cap, "limit", "cap.");
            capWindow = reader.Duration(cap, "window", "cap.");
            if (capLimit is null) errors.Add("cap.limit: required (with \"window\", or alone for \"ever\").");
        }

        QuietHours? quietHours = null;
        if (reader.Object(body, "quietHours") is { } q)
        {
            reader.RejectUnknown(q, "quietHours.", ["start", "end", "enabled"]);
            quietHours = new QuietHours
            {
                Start = reader.Time(q, "start", "quietHours.") ?? new TimeOnly(22, 0),
                End = reader.Time(q, "end", "quietHours.") ?? new TimeOnly(8, 0),
                Enabled = reader.Bool(q, "enabled", "quietHours.") ?? true,
            };
        }

        var quietPolicy = reader.Enum(body, "quietHoursPolicy", "hold", ["hold", "drop"]) == "drop" ? QuietHoursPolicy.Drop : QuietHoursPolicy.Hold;
        string? conversionEvent = null;
        TimeSpan? conversionWindow = null;
        if (reader.Object(body, "conversion") is { } conversion)
        {
            reader.RejectUnknown(conversion, "conversion.", ["event", "window"]);
            conversionEvent = reader.String(conversion, "event", 200, "conversion.");
            conversionWindow = reader.Duration(conversion, "window", "conversion.");
            if (conversionEvent is null) errors.Add("conversion.event: required.");
        }

        double? optOutThreshold = null;
        int? optOutSample = null;
        if (reader.Object(body, "optOutGuard") is { } guard)
        {
            reader.RejectUnknown(guard, "optOutGuard.", ["threshold", "minimumSample"]);
            optOutThreshold = reader.Number(guard, "threshold", "optOutGuard.");
            optOutSample = (int?)reader.Number(guard, "minimumSample", "optOutGuard.");
        }

        double holdout = reader.Number(body, "holdoutPercent") ?? 0;
        var startAt = reader.Instant(body, "startAt");
        var endAt = reader.Instant(body, "endAt");
        var ttl = reader.Duration(body, "timeToLive");
        int? throttle = (int?)reader.Number(body, "throttlePerMinute");
        reader.RejectUnknown(body, "", ["id", "name", "category", "priority", "audience", "trigger", "message", "variants", "holdoutPercent", "startAt", "endAt", "cap",
            "quietHours", "quietHoursPolicy", "timeToLive", "throttlePerMinute", "conversion", "optOutGuard"]);
        if (errors.Count > 0 || trigger is null || message is null) return null;

        var definition = new CampaignDefinition(id, name, category, message, trigger)
        {
            AudienceSegment = audienceSegment,
            AudienceRule = audienceRule,
            Priority = priority,
            Variants = variants.ToArray(),
            HoldoutPercent = holdout,
            StartAt = startAt,
            EndAt = endAt,
            CapLimit = capLimit,
            CapWindow = capWindow,
            QuietHours = quietHours,
            QuietHoursPolicy = quietPolicy,
            ConversionEvent = conversionEvent,
        };
        if (ttl is { } timeToLive) definition = definition with { TimeToLive = timeToLive };
        if (throttle is { } perMinute)
        {
            if (perMinute < 1) errors.Add("throttlePerMinute: at least 1 (leave it out for no campaign limit).");
            else definition = definition with { ThrottlePerMinute = perMinute };
        }

        if (conversionWindow is { } window) definition = definition with { ConversionWindow = window };
        if (optOutThreshold is { } threshold) definition = definition with { OptOutThreshold = threshold };
        if (optOutSample is { } sample) definition = definition with { OptOutMinimumSample = sample };
        errors.AddRange(definition.Validate());
        return errors.Count > 0 ? null : definition;
    }

    private static CampaignTrigger? ReadTrigger(JsonElement t, Reader reader)
    {
        string? type = reader.String(t, "type", 32, "trigger.");
        if (type is null || !TriggerTypes.Contains(type))
        {
            reader.Errors.Add($"trigger.type: one of {string.Join(", ", TriggerTypes)}.");
            return null;
        }

        var kind = (TriggerKind)Array.IndexOf(TriggerTypes, type);
        var missed = reader.Enum(t, "missedLocalTime", "next_day", ["next_day", "send_now", "skip"], "trigger.") switch
        {
            "send_now" => MissedLocalTime.SendNow,
            "skip" => MissedLocalTime.Skip,
            _ => MissedLocalTime.NextDay,
        };
        bool localTime = reader.Bool(t, "localTime", "trigger.") ?? false;
        reader.RejectUnknown(t, "trigger.", ["type", "segment", "stage", "event", "geofence", "delay", "cooldown", "cron", "at", "localTime", "timeZone", "missedLocalTime"]);
        return new CampaignTrigger(kind)
        {
            Segment = reader.String(t, "segment", 64, "trigger."),
            Stage = reader.String(t, "stage", 32, "trigger."),
            Event = reader.String(t, "event", 200, "trigger."),
            Geofence = reader.String(t, "geofence", 64, "trigger."),
            Delay = reader.Duration(t, "delay", "trigger.") ?? TimeSpan.Zero,
            Cooldown = reader.Duration(t, "cooldown", "trigger.") ?? TimeSpan.Zero,
            Cron = reader.String(t, "cron", 100, "trigger."),
            At = localTime ? reader.WallClock(t, "at", "trigger.") : reader.Instant(t, "at", "trigger."),
            LocalTime = localTime,
            TimeZone = reader.String(t, "timeZone", 64, "trigger."),
            MissedLocalTime = missed,
        };
    }

    private static CampaignMessage? ReadMessage(JsonElement m, Reader reader, string path)
    {
        reader.RejectUnknown(m, path, ["title", "subtitle", "body", "deepLink", "data", "collapseId", "sound"]);
        var data = new Dictionary<string, string>(StringComparer.Ordinal);
        if (reader.Object(m, "data", path) is { } d)
        {
            foreach (var property in d.EnumerateObject())
            {
                if (property.Value.ValueKind == JsonValueKind.String && property.Name.Length <= 128) data[property.Name] = property.Value.GetString()!;
                else reader.Errors.Add($"{path}data.{property.Name}: must be a string (FCM data values are strings) with a name of at most 128 characters.");
            }
        }

        return new CampaignMessage(reader.String(m, "title", 500, path) ?? "", reader.String(m, "body", 2000, path) ?? "")
        {
            Subtitle = reader.String(m, "subtitle", 500, path),
            DeepLink = reader.String(m, "deepLink", 2000, path),
            Data = data.Count > 0 ? data : null,
            CollapseId = reader.String(m, "collapseId", 200, path),
            Sound = reader.String(m, "sound", 100, path),
        };
    }

    /// <summary>The definition in the shape <see cref="Read"/> takes.</summary>
    public static object Write(CampaignDefinition d) => new
    {
        id = d.Id,
        name = d.Name,
        category = d.Category == MessageCategory.Transactional ? "transactional" : "marketing",
        priority = d.Priority.ToString().ToLowerInvariant(),
        audience = d.AudienceSegment is null && d.AudienceRule is null ? null : new { segment = d.AudienceSegment, rule = d.AudienceRule },
        trigger = new
        {
            type = TriggerTypes[(int)d.Trigger.Kind],
            segment = d.Trigger.Segment,
            stage = d.Trigger.Stage,
            @event = d.Trigger.Event,
            geofence = d.Trigger.Geofence,
            delay = d.Trigger.Delay == TimeSpan.Zero ? null : Duration(d.Trigger.Delay),
            cooldown = d.Trigger.Cooldown == TimeSpan.Zero ? null : Duration(d.Trigger.Cooldown),
            cron = d.Trigger.Cron,
            at = d.Trigger.At is { } at ? (d.Trigger.LocalTime ? at.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) : at.ToString("o", CultureInfo.InvariantCulture)) : null,
            localTime = d.Trigger.LocalTime,
            timeZone = d.Trigger.TimeZone,
            missedLocalTime = d.Trigger.LocalTime ? d.Trigger.MissedLocalTime switch { MissedLocalTime.SendNow => "send_now", MissedLocalTime.Skip => "skip", _ => "next_day" } : null,
        },
        message = Write(d.Message),
        variants = d.Variants.Select(v => new { name = v.Name, percent = v.Percent, message = Write(v.Message) }),
        holdoutPercent = d.HoldoutPercent,
        startAt = d.StartAt,
        endAt = d.EndAt,
        cap = d.CapLimit is { } limit ? new { limit, window = d.CapWindow is { } w ? Duration(w) : null } : null,
        quietHours = d.QuietHours is { } q ? new { start = q.Start.ToString("HH:mm", CultureInfo.InvariantCulture), end = q.End.ToString("HH:mm", CultureInfo.InvariantCulture), enabled = q.Enabled } : null,
        quietHoursPolicy = d.QuietHoursPolicy == QuietHoursPolicy.Drop ? "drop" : "hold",
        timeToLive = Duration(d.TimeToLive),
        throttlePerMinute = d.IsThrottled ? d.ThrottlePerMinute : (int?)null,
        conversion = d.ConversionEvent is null ? null : new { @event = d.ConversionEvent, window = Duration(d.ConversionWindow) },
        optOutGuard = new { threshold = d.OptOutThreshold, minimumSample = d.OptOutMinimumSample },
    };

    private static object Write(CampaignMessage m) => new
    {
        title = m.Title,
        subtitle = m.Subtitle,
        body = m.Body,
        deepLink = m.DeepLink,
        data = m.Data,
        collapseId = m.CollapseId,
        sound = m.Sound,
    };

    /// <summary>A duration in the largest whole unit: <c>2w</c>, <c>3d</c>, <c>12h</c>, <c>30m</c>, <c>45s</c>.</summary>
    public static string Duration(TimeSpan span)
    {
        foreach (var (unit, size) in Units.Reverse())
        {
            if (span.Ticks % size.Ticks == 0) return $"{span.Ticks / size.Ticks}{unit}";
        }

        return $"{(long)span.TotalSeconds}s";
    }

    public static bool TryParseDuration(string text, out TimeSpan duration)
    {
        duration = default;
        if (text.Length is < 2 or > 12) return false;
        var unit = Array.Find(Units, u => u.Unit == text[^1]);
        if (unit.Unit == default || !long.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out long count)) return false;
        if (count > 3650L * 24 * 3600) return false;
        duration = TimeSpan.FromTicks(unit.Size.Ticks * count);
        return duration <= TimeSpan.FromDays(3650);
    }

    private static readonly (char Unit, TimeSpan Size)[] Units =
        [('s', TimeSpan.FromSeconds(1)), ('m', TimeSpan.FromMinutes(1)), ('h', TimeSpan.FromHours(1)), ('d', TimeSpan.FromDays(1)), ('w', TimeSpan.FromDays(7))];

    /// <summary>Typed field access that records what was wrong, with the field's path.</summary>
    private sealed class Reader(List<string> errors)
    {
        public List<string> Errors { get; } = errors;

        public string? String(JsonElement o, string name, int max, string path = "")
        {
            if (!o.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
            if (v.ValueKind != JsonValueKind.String)
            {
                Errors.Add($"{path}{name}: must be a string.");
                return null;
            }

            string s = v.GetString()!;
            if (s.Length > max)
            {
                Errors.Add($"{path}{name}: at most {max} characters.");
                return null;
            }

            return s;
        }

        public string Enum(JsonElement o, string name, string fallback, string[] allowed, string path = "")
        {
            string? s = String(o, name, 64, path);
            if (s is null) return fallback;
            if (allowed.Contains(s)) return s;
            Errors.Add($"{path}{name}: one of {string.Join(", ", allowed)}.");
            return fallback;
        }

        public double? Number(JsonElement o, string name, string path = "")
        {
            if (!o.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
            if (v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out double d) && double.IsFinite(d) && Math.Abs(d) <= int.MaxValue) return d;
            Errors.Add($"{path}{name}: must be a number.");
            return null;
        }

        public bool? Bool(JsonElement o, string name, string path = "")
        {
            if (!o.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
            if (v.ValueKind is JsonValueKind.True or JsonValueKind.False) return v.GetBoolean();
            Errors.Add($"{path}{name}: must be true or false.");
            return null;
        }

        public JsonElement? Object(JsonElement o, string name, string path = "")
        {
            if (!o.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
            if (v.ValueKind == JsonValueKind.Object) return v;
            Errors.Add($"{path}{name}: must be an object.");
            return null;
        }

        public JsonElement? Array(JsonElement o, string name, string path = "")
        {
            if (!o.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
            if (v.ValueKind == JsonValueKind.Array) return v;
            Errors.Add($"{path}{name}: must be an array.");
            return null;
        }

        public TimeSpan? Duration(JsonElement o, string name, string path = "")
        {
            string? s = String(o, name, 16, path);
            if (s is null) return null;
            if (TryParseDuration(s, out var d)) return d;
            Errors.Add($"{path}{name}: a duration such as 30m, 12h, 7d or 2w.");
            return null;
        }

        public TimeOnly? Time(JsonElement o, string name, string path = "")
        {
            string? s = String(o, name, 8, path);
            if (s is null) return null;
            if (TimeOnly.TryParseExact(s, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var t)) return t;
            Errors.Add($"{path}{name}: a local time such as 22:00.");
            return null;
        }

        /// <summary>An instant with an offset or Z, as UTC.</summary>
        public DateTime? Instant(JsonElement o, string name, string path = "")
        {
            string? s = String(o, name, 40, path);
            if (s is null) return null;
            if (Iso8601.TryParse(s, out var at)) return at;

            Errors.Add($"{path}{name}: an ISO 8601 instant with a zone, e.g. 2026-12-01T09:00:00Z.");
            return null;
        }

        /// <summary>A wall-clock date and time without a zone (local-time schedules).</summary>
        public DateTime? WallClock(JsonElement o, string name, string path = "")
        {
            string? s = String(o, name, 40, path);
            if (s is null) return null;
            if (DateTime.TryParseExact(s, ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var at))
            {
                return DateTime.SpecifyKind(at, DateTimeKind.Unspecified);
            }

            Errors.Add($"{path}{name}: a local-time schedule takes a wall-clock time without a zone, e.g. 2026-12-01T09:00.");
            return null;
        }

        public void RejectUnknown(JsonElement o, string path, string[] known)
        {
            foreach (var property in o.EnumerateObject())
            {
                if (!known.Contains(property.Name)) Errors.Add($"{path}{property.Name}: not a field of a campaign (known: {string.Join(", ", known)}).");
            }
        }
    }
}
