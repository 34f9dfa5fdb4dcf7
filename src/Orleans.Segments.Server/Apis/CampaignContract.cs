using System.Globalization;
using System.Text.Json;
using Orleans.Segments.Contracts;
using Orleans.Segments.Domain;
using Orleans.Segments.Domain.Campaigns;

namespace Orleans.Segments.Server.Apis;

/// <summary>
/// A campaign definition between its contract (<see cref="CampaignInput"/>, read by System.Text.Json) and the
/// domain's <see cref="CampaignDefinition"/>: every field checked, every problem collected with its path
/// (<c>trigger.at: …</c>), and the definition written back in the same shape.
/// </summary>
public static class CampaignContract
{
    private static readonly string[] TriggerTypes = ["segment_entry", "lifecycle", "event", "geofence_entry", "schedule", "manual"];

    /// <summary>Reads a campaign body (an object) and checks it; null with the reasons in <paramref name="errors"/>.</summary>
    public static CampaignDefinition? Read(string id, JsonElement body, List<string> errors)
    {
        int before = errors.Count;
        var input = ContractBody.Read(body, ContractsJson.Default.CampaignInput, "campaign", errors);
        if (input is null) return null;

        if (errors.Count == before) return ToDefinition(id, input, errors) is { } valid && errors.Count == before ? valid : null;

        // Why: the fields that could be read are checked too, so one answer names every problem; a field already
        // refused for its type is not also reported as missing.
        var refused = errors.Skip(before).Select(Field).ToHashSet(StringComparer.Ordinal);
        var checks = new List<string>();
        ToDefinition(id, input, checks);
        errors.AddRange(checks.Where(e => !refused.Contains(Field(e))));
        return null;
    }

    internal static string Field(string error) => error.Split(':', 2)[0];

    public static CampaignDefinition? ToDefinition(string id, CampaignInput input, List<string> errors)
    {
        var check = new Check(errors);
        string name = check.Text(input.Name, "name", 200) ?? id;
        var category = check.OneOf(input.Category, "category", ["marketing", "transactional", "silent"]) switch
        {
            "transactional" => MessageCategory.Transactional,
            "silent" => MessageCategory.Silent,
            _ => MessageCategory.Marketing,
        };
        var priority = check.OneOf(input.Priority, "priority", ["low", "normal", "high"]) switch
        {
            "low" => MessagePriority.Low,
            "high" => MessagePriority.High,
            _ => MessagePriority.Normal,
        };
        if (input.Id is { } bodyId && bodyId != id) errors.Add($"id: '{ResourceId.Printable(bodyId)}' does not match the id in the path ('{id}').");

        string? audienceSegment = check.Text(input.Audience?.Segment, "audience.segment", 64);
        string? audienceRule = check.Text(input.Audience?.Rule, "audience.rule", 4000);
        var trigger = input.Trigger is { } t ? ReadTrigger(t, check) : null;
        if (input.Trigger is null) errors.Add("trigger: required, e.g. {\"type\": \"event\", \"event\": \"Order Completed\"}.");
        var message = input.Message is { } m ? ReadMessage(m, check, "message.") : null;
        if (input.Message is null) errors.Add("message: required, e.g. {\"title\": \"Hi {{ traits.first_name }}\", \"body\": \"...\"}.");

        var variants = ReadVariants(input.Variants, check, "variants");

        if (input.Cap is { } cap && cap.Limit is null) errors.Add("cap.limit: required (with \"window\", or alone for \"ever\").");
        var capWindow = check.Duration(input.Cap?.Window, "cap.window");
        QuietHours? quietHours = input.QuietHours is { } q
            ? new QuietHours
            {
                Start = check.Time(q.Start, "quietHours.start") ?? new TimeOnly(22, 0),
                End = check.Time(q.End, "quietHours.end") ?? new TimeOnly(8, 0),
                Enabled = q.Enabled ?? true,
            }
            : null;
        var quietPolicy = check.OneOf(input.QuietHoursPolicy, "quietHoursPolicy", ["hold", "drop"]) == "drop" ? QuietHoursPolicy.Drop : QuietHoursPolicy.Hold;
        string? conversionEvent = check.Text(input.Conversion?.Event, "conversion.event", 200);
        if (input.Conversion is not null && conversionEvent is null && input.Conversion.Event is null) errors.Add("conversion.event: required.");
        var conversionWindow = check.Duration(input.Conversion?.Window, "conversion.window");
        var startAt = check.Instant(input.StartAt, "startAt");
        var endAt = check.Instant(input.EndAt, "endAt");
        var ttl = check.Duration(input.TimeToLive, "timeToLive");
        double holdout = input.HoldoutPercent is { } h ? check.Finite(h, "holdoutPercent") : 0;
        if (input.ThrottlePerMinute is < 1) errors.Add("throttlePerMinute: at least 1 (leave it out for no campaign limit).");
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
            CapLimit = input.Cap?.Limit,
            CapWindow = capWindow,
            QuietHours = quietHours,
            QuietHoursPolicy = quietPolicy,
            ConversionEvent = conversionEvent,
        };
        if (ttl is { } timeToLive) definition = definition with { TimeToLive = timeToLive };
        if (input.ThrottlePerMinute is { } perMinute) definition = definition with { ThrottlePerMinute = perMinute };
        if (conversionWindow is { } window) definition = definition with { ConversionWindow = window };
        if (input.OptOutGuard?.Threshold is { } threshold) definition = definition with { OptOutThreshold = check.Finite(threshold, "optOutGuard.threshold") };
        if (input.OptOutGuard?.MinimumSample is { } sample) definition = definition with { OptOutMinimumSample = sample };
        errors.AddRange(definition.Validate());
        return errors.Count > 0 ? null : definition;
    }

    private static CampaignTrigger? ReadTrigger(TriggerInput t, Check check)
    {
        if (t.Type is null || !TriggerTypes.Contains(t.Type))
        {
            check.Errors.Add($"trigger.type: one of {string.Join(", ", TriggerTypes)}.");
            return null;
        }

        var kind = (TriggerKind)Array.IndexOf(TriggerTypes, t.Type);
        var missed = check.OneOf(t.MissedLocalTime, "trigger.missedLocalTime", ["next_day", "send_now", "skip"]) switch
        {
            "send_now" => MissedLocalTime.SendNow,
            "skip" => MissedLocalTime.Skip,
            _ => MissedLocalTime.NextDay,
        };
        bool localTime = t.LocalTime ?? false;
        return new CampaignTrigger(kind)
        {
            Segment = check.Text(t.Segment, "trigger.segment", 64),
            Stage = check.Text(t.Stage, "trigger.stage", 32),
            Event = check.Text(t.Event, "trigger.event", 200),
            Geofence = check.Text(t.Geofence, "trigger.geofence", 64),
            Delay = check.Duration(t.Delay, "trigger.delay") ?? TimeSpan.Zero,
            Cooldown = check.Duration(t.Cooldown, "trigger.cooldown") ?? TimeSpan.Zero,
            Cron = check.Text(t.Cron, "trigger.cron", 100),
            At = localTime ? check.WallClock(t.At, "trigger.at") : check.Instant(t.At, "trigger.at"),
            LocalTime = localTime,
            TimeZone = check.Text(t.TimeZone, "trigger.timeZone", 64),
            MissedLocalTime = missed,
        };
    }

    /// <summary>
    /// The variants of a message (a campaign's, or a journey step's at <paramref name="at"/>), each checked; a wrong
    /// one is left out with its reasons.
    /// </summary>
    internal static List<VariantMessage> ReadVariants(VariantInput?[]? input, Check check, string at)
    {
        var errors = check.Errors;
        var variants = new List<VariantMessage>();
        for (int i = 0; i < (input?.Length ?? 0); i++)
        {
            var v = input![i];
            string path = $"{at}[{i}].";
            if (v is null)
            {
                errors.Add($"{path[..^1]}: must be an object.");
                continue;
            }

            string? variantName = check.Text(v.Name, path + "name", 64);
            var variantMessage = v.Message is { } vm ? ReadMessage(vm, check, path + "message.") : null;
            if (variantName is null || v.Percent is null || variantMessage is null)
            {
                errors.Add($"{path[..^1]}: needs \"name\", \"percent\" and \"message\".");
                continue;
            }

            if (variantName == VariantAssigner.Holdout) errors.Add($"{path}name: '{VariantAssigner.Holdout}' is reserved for the holdout group.");
            if (variantName == VariantAssigner.Control) errors.Add($"{path}name: '{VariantAssigner.Control}' is reserved for the app's global control group.");
            variants.Add(new VariantMessage(variantName, check.Finite(v.Percent.Value, path + "percent"), variantMessage));
        }

        return variants;
    }

    internal static CampaignMessage ReadMessage(MessageInput m, Check check, string path)
    {
        int before = check.Errors.Count;
        var data = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in m.Data ?? [])
        {
            if (key.Length <= 128 && value is not null) data[key] = value;
            else check.Errors.Add($"{path}data.{key}: must be a string (FCM data values are strings) with a name of at most 128 characters.");
        }

        var message = new CampaignMessage(check.Text(m.Title, path + "title", 500) ?? "", check.Text(m.Body, path + "body", 2000) ?? "")
        {
            Subtitle = check.Text(m.Subtitle, path + "subtitle", 500),
            DeepLink = check.Text(m.DeepLink, path + "deepLink", 2000),
            Data = data.Count > 0 ? data : null,
            CollapseId = check.Text(m.CollapseId, path + "collapseId", 200),
            Sound = check.Text(m.Sound, path + "sound", 100),
            Translations = ReadTranslations(m.Translations, check, path + "translations"),
            Image = check.Text(m.Image, path + "image", CampaignMessage.MaxImageUrl + 1),
            Buttons = ReadButtons(m.Buttons, check, path + "buttons"),
            Category = check.Text(m.ActionCategory, path + "actionCategory", 64),
            Badge = m.Badge,
            ThreadId = check.Text(m.ThreadId, path + "threadId", 64),
            ChannelId = check.Text(m.ChannelId, path + "channelId", 100),
        };
        if (check.Errors.Count == before) CheckPayloadSizes(message, check, path);
        return message;
    }

    private static List<PushButton>? ReadButtons(ButtonInput?[]? input, Check check, string path)
    {
        if (input is null || input.Length == 0) return null;
        if (input.Length > CampaignMessage.MaxButtons)
        {
            check.Errors.Add($"{path}: at most {CampaignMessage.MaxButtons} (what iOS and Android show).");
            return null;
        }

        var buttons = new List<PushButton>();
        for (int i = 0; i < input.Length; i++)
        {
            string at = $"{path}[{i}]";
            if (input[i] is not { } b)
            {
                check.Errors.Add($"{at}: must be an object with an id and a title.");
                continue;
            }

            if (b.Id is null) check.Errors.Add($"{at}.id: required.");
            if (b.Title is null) check.Errors.Add($"{at}.title: required.");
            buttons.Add(new PushButton(check.Text(b.Id, at + ".id", 64) ?? "", check.Text(b.Title, at + ".title", 50) ?? "")
            {
                DeepLink = check.Text(b.DeepLink, at + ".deepLink", 2000),
            });
        }

        return buttons;
    }

    private static Dictionary<string, MessageTranslation>? ReadTranslations(Dictionary<string, TranslationInput?>? input, Check check, string path)
    {
        if (input is null || input.Count == 0) return null;
        if (input.Count > Locales.MaxTranslations)
        {
            check.Errors.Add($"{path}: at most {Locales.MaxTranslations} languages.");
            return null;
        }

        var translations = new Dictionary<string, MessageTranslation>(StringComparer.Ordinal);
        foreach (var (key, t) in input)
        {
            string at = $"{path}.{Shown(key)}";
            if (Locales.Canonical(key) is not { } tag)
            {
                check.Errors.Add($"{at}: not a language tag; use a language (de), a language and region (de-AT, pt-BR) or with a script (zh-Hant-TW).");
                continue;
            }

            if (t is null)
            {
                check.Errors.Add($"{at}: the translation's title, subtitle and body are missing.");
                continue;
            }

            if (translations.ContainsKey(tag))
            {
                check.Errors.Add($"{at}: {tag} is given twice (tags differing only in letter case or '_' are the same).");
                continue;
            }

            translations[tag] = new MessageTranslation(check.Text(t.Title, at + ".title", 500) ?? "", check.Text(t.Body, at + ".body", 2000) ?? "")
            {
                Subtitle = check.Text(t.Subtitle, at + ".subtitle", 500),
            };
        }

        return translations.Count > 0 ? translations : null;
    }

    /// <summary>A key as an error message shows it: at most 40 characters.</summary>
    private static string Shown(string key) => key.Length <= 40 ? key : key[..40] + "…";

    /// <summary>
    /// Each language's push as the senders would write it, before its templates are rendered, must fit APNs' and
    /// FCM's 4 KB: a message that does not fit in one of its languages is refused now rather than failing at send.
    /// </summary>
    private static void CheckPayloadSizes(CampaignMessage message, Check check, string path)
    {
        var request = new SendRequest("size-check", "size-check", MessageCategory.Marketing, MessagePriority.Normal);
        string notificationId = "n_" + new string('0', 32);
        var languages = new List<(string Language, CampaignMessage Texts)> { (Locales.Default, message) };
        foreach (var tag in message.Translations?.Keys ?? Enumerable.Empty<string>()) languages.Add((tag, message.In(tag)));
        foreach (var (language, texts) in languages)
        {
            var push = Users.PushMessages.For(texts, new Users.RenderedMessage(texts.Title, texts.Subtitle, texts.Body), request, notificationId);
            string? problem = Push.PushPreview.Apns(push, null, DateTimeOffset.UnixEpoch).Error;
            if (problem is null) Push.PushPreview.Fcm(push, new string('t', 163), out problem);
            if (problem is not null && problem.Contains("bytes", StringComparison.Ordinal))
            {
                check.Errors.Add(language == Locales.Default ? $"{path.TrimEnd('.')}: {problem}." : $"{path}translations.{language}: {problem}.");
            }
        }
    }

    /// <summary>The definition in the contract's shape (what <c>GET /v1/campaigns/{id}</c> shows as its definition).</summary>
    public static CampaignInput Write(CampaignDefinition d) => new(
        Id: d.Id,
        Name: d.Name,
        Category: CategoryWire(d.Category),
        Priority: d.Priority.ToString().ToLowerInvariant(),
        Audience: d.AudienceSegment is null && d.AudienceRule is null ? null : new AudienceInput(d.AudienceSegment, d.AudienceRule),
        Trigger: new TriggerInput(
            Type: TriggerTypes[(int)d.Trigger.Kind],
            Segment: d.Trigger.Segment,
            Stage: d.Trigger.Stage,
            Event: d.Trigger.Event,
            Geofence: d.Trigger.Geofence,
            Delay: d.Trigger.Delay == TimeSpan.Zero ? null : DurationText.Write(d.Trigger.Delay),
            Cooldown: d.Trigger.Cooldown == TimeSpan.Zero ? null : DurationText.Write(d.Trigger.Cooldown),
            Cron: d.Trigger.Cron,
            At: d.Trigger.At is { } at ? (d.Trigger.LocalTime ? at.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) : at.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture)) : null,
            LocalTime: d.Trigger.LocalTime,
            TimeZone: d.Trigger.TimeZone,
            MissedLocalTime: d.Trigger.LocalTime ? d.Trigger.MissedLocalTime switch { MissedLocalTime.SendNow => "send_now", MissedLocalTime.Skip => "skip", _ => "next_day" } : null),
        Message: Write(d.Message),
        Variants: d.Variants.Select(v => new VariantInput(v.Name, v.Percent, Write(v.Message))).ToArray(),
        HoldoutPercent: d.HoldoutPercent,
        StartAt: Instant(d.StartAt),
        EndAt: Instant(d.EndAt),
        Cap: d.CapLimit is { } limit ? new CapInput(limit, d.CapWindow is { } w ? DurationText.Write(w) : null) : null,
        QuietHours: d.QuietHours is { } q ? new QuietHoursInput(q.Start.ToString("HH:mm", CultureInfo.InvariantCulture), q.End.ToString("HH:mm", CultureInfo.InvariantCulture), q.Enabled) : null,
        QuietHoursPolicy: d.QuietHoursPolicy == QuietHoursPolicy.Drop ? "drop" : "hold",
        TimeToLive: DurationText.Write(d.TimeToLive),
        ThrottlePerMinute: d.IsThrottled ? d.ThrottlePerMinute : null,
        Conversion: d.ConversionEvent is null ? null : new ConversionInput(d.ConversionEvent, DurationText.Write(d.ConversionWindow)),
        OptOutGuard: new OptOutGuardInput(d.OptOutThreshold, d.OptOutMinimumSample));

    /// <summary>A category as the API writes it: <c>marketing</c>, <c>transactional</c> or <c>silent</c>.</summary>
    public static string CategoryWire(MessageCategory category) => category switch
    {
        MessageCategory.Transactional => "transactional",
        MessageCategory.Silent => "silent",
        _ => "marketing",
    };

    internal static MessageInput Write(CampaignMessage m) => new(NullIfEmpty(m.Title), m.Subtitle, NullIfEmpty(m.Body), m.DeepLink, m.Data, m.CollapseId, m.Sound,
        m.Translations?.OrderBy(t => t.Key, StringComparer.Ordinal).ToDictionary(t => t.Key, t => (TranslationInput?)new TranslationInput(t.Value.Title, t.Value.Subtitle, t.Value.Body)),
        m.Image,
        m.Buttons?.Select(b => (ButtonInput?)new ButtonInput(b.Id, b.Title, b.DeepLink)).ToArray(),
        m.Category,
        m.Badge,
        m.ThreadId,
        m.ChannelId);

    private static string? NullIfEmpty(string text) => text.Length == 0 ? null : text;

    private static string? Instant(DateTime? at) => at?.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    /// <summary>Checks of one field each, recording what was wrong with the field's path.</summary>
    internal sealed class Check(List<string> errors)
    {
        public List<string> Errors { get; } = errors;

        public string? Text(string? value, string path, int max)
        {
            if (value is null) return null;
            if (value.Length <= max) return value;
            Errors.Add($"{path}: at most {max} characters.");
            return null;
        }

        public string? OneOf(string? value, string path, string[] allowed)
        {
            if (value is null || allowed.Contains(value)) return value;
            Errors.Add($"{path}: one of {string.Join(", ", allowed)}.");
            return null;
        }

        public double Finite(double value, string path)
        {
            if (double.IsFinite(value) && Math.Abs(value) <= int.MaxValue) return value;
            Errors.Add($"{path}: must be a number.");
            return 0;
        }

        public TimeSpan? Duration(string? value, string path)
        {
            if (value is null) return null;
            if (DurationText.TryParse(value, out var d)) return d;
            Errors.Add($"{path}: a duration such as 30m, 12h, 7d or 2w.");
            return null;
        }

        public TimeOnly? Time(string? value, string path)
        {
            if (value is null) return null;
            if (TimeOnly.TryParseExact(value, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var t)) return t;
            Errors.Add($"{path}: a local time such as 22:00.");
            return null;
        }

        /// <summary>An instant with an offset or Z, as UTC.</summary>
        public DateTime? Instant(string? value, string path)
        {
            if (value is null) return null;
            if (value.Length <= 40 && Iso8601.TryParse(value, out var at)) return at;
            Errors.Add($"{path}: an ISO 8601 instant with a zone, e.g. 2026-12-01T09:00:00Z.");
            return null;
        }

        /// <summary>A wall-clock date and time without a zone (local-time schedules).</summary>
        public DateTime? WallClock(string? value, string path)
        {
            if (value is null) return null;
            if (value.Length <= 40 && DateTime.TryParseExact(value, ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var at))
            {
                return DateTime.SpecifyKind(at, DateTimeKind.Unspecified);
            }

            Errors.Add($"{path}: a local-time schedule takes a wall-clock time without a zone, e.g. 2026-12-01T09:00.");
            return null;
        }
    }
}

/// <summary>Durations as the API and the rule language write them: <c>45s</c>, <c>30m</c>, <c>12h</c>, <c>7d</c>, <c>2w</c>.</summary>
public static class DurationText
{
    private static readonly (char Unit, TimeSpan Size)[] Units =
        [('s', TimeSpan.FromSeconds(1)), ('m', TimeSpan.FromMinutes(1)), ('h', TimeSpan.FromHours(1)), ('d', TimeSpan.FromDays(1)), ('w', TimeSpan.FromDays(7))];

    /// <summary>A duration in the largest whole unit.</summary>
    public static string Write(TimeSpan span)
    {
        foreach (var (unit, size) in Units.Reverse())
        {
            if (span.Ticks % size.Ticks == 0) return $"{span.Ticks / size.Ticks}{unit}";
        }

        return $"{(long)span.TotalSeconds}s";
    }

    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = default;
        if (text.Length is < 2 or > 12) return false;
        var unit = Array.Find(Units, u => u.Unit == text[^1]);
        if (unit.Unit == default || !long.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out long count)) return false;
        if (count > 3650L * 24 * 3600) return false;
        duration = TimeSpan.FromTicks(unit.Size.Ticks * count);
        return duration <= TimeSpan.FromDays(3650);
    }
}
