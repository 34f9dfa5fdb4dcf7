using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Orleans.Segments.Domain.Campaigns;

namespace Orleans.Segments.Server.Console.Campaigns;

/// <summary>
/// The composer's form, whose fields are named by their path in the API's JSON (<c>trigger.event</c>,
/// <c>variants[1].message.title</c>): it becomes that JSON for <see cref="Apis.CampaignContract.Read"/>, so the
/// console and the API check a definition with the same code, and their errors name the same fields.
/// </summary>
public sealed class CampaignForm
{
    /// <summary>The most variant rows the composer shows (the definition's limit).</summary>
    public const int MaxVariants = 10;

    public static readonly string[] MessageFields = ["title", "subtitle", "body", "deepLink", "data", "collapseId", "sound", "image", "actionCategory", "badge", "threadId", "channelId"];

    /// <summary>The fields of an action button row (<c>message.buttons[1].title</c>, …).</summary>
    public static readonly string[] ButtonFields = ["id", "title", "deepLink"];

    /// <summary>The fields of a translation row (<c>message.translations[2].locale</c>, …).</summary>
    public static readonly string[] TranslationFields = ["locale", "title", "subtitle", "body"];

    private static readonly string[] Numbers = ["holdoutPercent", "throttlePerMinute", "cap.limit", "optOutGuard.threshold", "optOutGuard.minimumSample"];

    /// <summary>The trigger fields each trigger type uses; the others are hidden in the form and not sent.</summary>
    private static readonly Dictionary<string, string[]> TriggerFields = new(StringComparer.Ordinal)
    {
        ["segment_entry"] = ["segment", "delay", "cooldown"],
        ["lifecycle"] = ["stage", "delay", "cooldown"],
        ["event"] = ["event", "delay", "cooldown"],
        ["geofence_entry"] = ["geofence", "delay", "cooldown"],
        ["schedule"] = ["at", "cron", "localTime", "timeZone", "missedLocalTime"],
        ["manual"] = [],
    };

    private readonly Dictionary<string, string> values;

    /// <summary>What the form itself found wrong while writing the JSON (two rows of one language), with the field's path.</summary>
    public List<string> Problems { get; } = [];

    private CampaignForm(Dictionary<string, string> values) => this.values = values;

    public static CampaignForm Empty() => new(new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["category"] = "marketing",
        ["priority"] = "normal",
        ["audience.kind"] = "segment",
        ["trigger.type"] = "event",
        ["quietHours.mode"] = "app",
        ["quietHoursPolicy"] = "hold",
        ["timeToLive"] = "1d",
    });

    /// <summary>The value of a field as the form shows it ("" when empty).</summary>
    public string this[string path] => values.GetValueOrDefault(path) ?? "";

    public bool Is(string path, string value) => this[path] == value;

    /// <summary>How many variant rows to show: those filled in, plus one empty row to add another.</summary>
    public int VariantRows
    {
        get
        {
            int filled = 0;
            for (int i = 0; i < MaxVariants; i++)
            {
                if (VariantFilled(i)) filled = i + 1;
            }

            return Math.Min(MaxVariants, filled + 1);
        }
    }

    /// <summary>How many translation rows a message shows: those filled in, plus one empty row to add another.</summary>
    public int TranslationRows(string prefix)
    {
        int filled = 0;
        for (int j = 0; j < Locales.MaxTranslations; j++)
        {
            if (TranslationFilled(prefix, j)) filled = j + 1;
        }

        return Math.Min(Locales.MaxTranslations, filled + 1);
    }

    /// <summary>The fields of a campaign as stored: its definition written in the API's shape, flattened to paths.</summary>
    public static CampaignForm From(CampaignDefinition definition, string? previewUser = null)
    {
        var json = JsonSerializer.SerializeToElement(Apis.CampaignContract.Write(definition), Contracts.ContractsJson.Default.CampaignInput);
        var flat = new Dictionary<string, string>(StringComparer.Ordinal);
        Flatten(json, "", flat);
        flat["audience.kind"] = definition.AudienceSegment is not null ? "segment" : definition.AudienceRule is not null ? "rule" : "everyone";
        flat["quietHours.mode"] = definition.QuietHours is not { } q ? "app" : q.Enabled ? "custom" : "off";
        if (previewUser is not null) flat["preview.user"] = previewUser;
        foreach (string path in new[] { "startAt", "endAt", "trigger.at" })
        {
            if (flat.TryGetValue(path, out string? at)) flat[path] = LocalInput(at);
        }

        return new CampaignForm(flat);
    }

    /// <summary>The fields as posted.</summary>
    public static CampaignForm From(IFormCollection form)
    {
        var flat = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in form)
        {
            if (key.StartsWith("__", StringComparison.Ordinal) || key.Length > 64) continue;
            flat[key] = value.ToString();
        }

        return new CampaignForm(flat);
    }

    /// <summary>The definition in the API's JSON shape. Empty fields are left out, so the API's defaults apply.</summary>
    public JsonElement ToJson()
    {
        var root = new JsonObject();
        Put(root, "name", Text("name"));
        Put(root, "category", Text("category"));
        Put(root, "priority", Text("priority"));
        switch (this["audience.kind"])
        {
            case "segment": Put(root, "audience.segment", Text("audience.segment")); break;
            case "rule": Put(root, "audience.rule", Text("audience.rule")); break;
        }

        string type = this["trigger.type"];
        Put(root, "trigger.type", Text("trigger.type"));
        foreach (string field in TriggerFields.GetValueOrDefault(type) ?? [])
        {
            string path = "trigger." + field;
            if (field == "localTime") Put(root, path, Is(path, "true") ? JsonValue.Create(true) : null);
            else if (field == "at") Put(root, path, Instant(path, utc: !Is("trigger.localTime", "true")));
            else if (field == "missedLocalTime") Put(root, path, Is("trigger.localTime", "true") ? Text(path) : null);
            else Put(root, path, Text(path));
        }

        PutMessage(root, "message");
        for (int i = 0; i < MaxVariants; i++)
        {
            if (!VariantFilled(i)) continue;
            var variant = new JsonObject();
            Put(variant, "name", Text($"variants[{i}].name"));
            Put(variant, "percent", Number($"variants[{i}].percent"));
            PutMessage(variant, "message", $"variants[{i}].message");
            root["variants"] ??= new JsonArray();
            root["variants"]!.AsArray().Add(variant);
        }

        foreach (string path in Numbers) Put(root, path, Number(path));
        Put(root, "startAt", Instant("startAt", utc: true));
        Put(root, "endAt", Instant("endAt", utc: true));
        Put(root, "cap.window", Text("cap.window"));
        switch (this["quietHours.mode"])
        {
            case "custom":
                Put(root, "quietHours.start", Text("quietHours.start"));
                Put(root, "quietHours.end", Text("quietHours.end"));
                Put(root, "quietHours.enabled", JsonValue.Create(true));
                break;
            case "off":
                Put(root, "quietHours.enabled", JsonValue.Create(false));
                break;
        }

        Put(root, "quietHoursPolicy", Text("quietHoursPolicy"));
        Put(root, "timeToLive", Text("timeToLive"));
        Put(root, "conversion.event", Text("conversion.event"));
        Put(root, "conversion.window", Text("conversion.window"));
        return JsonSerializer.SerializeToElement(root);
    }

    /// <summary>The main message, or a variant's, as the preview renders it; null with the reason if it cannot be read.</summary>
    public CampaignMessage? Message(string variant, List<string> errors)
    {
        string prefix = "message";
        for (int i = 0; i < MaxVariants; i++)
        {
            if (variant.Length > 0 && this[$"variants[{i}].name"] == variant) prefix = $"variants[{i}].message";
        }

        var json = new JsonObject();
        PutMessage(json, "message", prefix);
        if (Problems.Count > 0)
        {
            errors.AddRange(Problems);
            return null;
        }

        if (json["message"] is null)
        {
            errors.Add("message: write a title or a body to preview it.");
            return null;
        }

        var definition = Apis.CampaignContract.Read("preview", JsonSerializer.SerializeToElement(new JsonObject
        {
            ["trigger"] = new JsonObject { ["type"] = "event", ["event"] = "preview" },
            ["message"] = json["message"]!.DeepClone(),
        }), errors);
        return errors.Count == 0 ? definition?.Message : null;
    }

    /// <summary>The variant names filled in, for the preview's choice.</summary>
    public IEnumerable<string> VariantNames()
    {
        for (int i = 0; i < MaxVariants; i++)
        {
            if (this[$"variants[{i}].name"] is { Length: > 0 } name) yield return name;
        }
    }

    /// <summary>
    /// The form field an error from the reader is about: <c>trigger.at: …</c> is about <c>trigger.at</c>,
    /// <c>trigger: a segment-entry trigger needs 'segment'.</c> about <c>trigger.segment</c>, and
    /// <c>variants.B.title: …</c> about the title of the row named B.
    /// </summary>
    public string FieldOf(string error)
    {
        int colon = error.IndexOf(": ", StringComparison.Ordinal);
        string path = colon > 0 ? error[..colon] : "";
        if (path == "trigger")
        {
            if (error.Contains("time zone", StringComparison.Ordinal)) return "trigger.timeZone";
            int q = error.IndexOf('\'');
            int end = q < 0 ? -1 : error.IndexOf('\'', q + 1);
            string field = end > q + 1 ? error[(q + 1)..end] : "";
            return TriggerFields.Values.Any(f => f.Contains(field)) ? "trigger." + field : "trigger.type";
        }

        if (path.StartsWith("variants.", StringComparison.Ordinal))
        {
            string rest = path["variants.".Length..];
            for (int i = 0; i < MaxVariants; i++)
            {
                string name = this[$"variants[{i}].name"];
                if (name.Length > 0 && rest.StartsWith(name, StringComparison.Ordinal))
                {
                    string field = rest[name.Length..].TrimStart('.');
                    if (TranslationField($"variants[{i}].message", $"variants[{i}].message.{field}") is { } variantTranslation) return variantTranslation;
                    if (ButtonField($"variants[{i}].message", $"variants[{i}].message.{field}") is { } variantButton) return variantButton;
                    return field.Length == 0 ? $"variants[{i}].percent" : $"variants[{i}].message.{field}";
                }
            }
        }

        if (path.StartsWith("message.data.", StringComparison.Ordinal)) return "message.data";
        if (TranslationField("message", path) is { } translationField) return translationField;
        if (ButtonField("message", path) is { } buttonField) return buttonField;
        if (path == "audience" || path == "audience.segment" || path == "audience.rule") return "audience." + (this["audience.kind"] == "rule" ? "rule" : "segment");
        if (path == "quietHours.start" || path == "quietHours.end") return path;
        if (path.StartsWith("quietHours", StringComparison.Ordinal)) return "quietHours.mode";
        if (path.StartsWith("message.", StringComparison.Ordinal) && path.Length > "message.".Length) return path;
        return path;
    }

    /// <summary>
    /// The row field an error about a translation names (<c>message.translations.de-AT.body</c> is the body of the
    /// row whose language is de-AT), or null when the error is not about one.
    /// </summary>
    private string? TranslationField(string prefix, string path)
    {
        string start = prefix + ".translations";
        if (!path.StartsWith(start, StringComparison.Ordinal)) return null;
        if (path.Length > start.Length && path[start.Length] == '[') return path;
        string rest = path.Length > start.Length + 1 ? path[(start.Length + 1)..] : "";
        for (int j = 0; j < Locales.MaxTranslations; j++)
        {
            string locale = this[$"{start}[{j}].locale"].Trim();
            if (locale.Length == 0) continue;
            string? tag = Locales.Canonical(locale) ?? locale;
            foreach (string key in new[] { locale, tag })
            {
                if (rest == key) return $"{start}[{j}].locale";
                if (rest.StartsWith(key + ".", StringComparison.Ordinal)) return $"{start}[{j}].{rest[(key.Length + 1)..]}";
            }
        }

        return $"{start}[0].locale";
    }

    /// <summary>
    /// The row an error about a button names: the JSON holds the filled rows only, so <c>buttons[1]</c> is the
    /// second filled row of the form, wherever it is.
    /// </summary>
    private string? ButtonField(string prefix, string path)
    {
        string start = prefix + ".buttons[";
        if (!path.StartsWith(start, StringComparison.Ordinal)) return null;
        int close = path.IndexOf(']', start.Length);
        if (close < 0 || !int.TryParse(path.AsSpan(start.Length, close - start.Length), out int index)) return null;
        int seen = 0;
        for (int k = 0; k < CampaignMessage.MaxButtons; k++)
        {
            if (!ButtonFields.Any(f => this[$"{prefix}.buttons[{k}].{f}"].Trim().Length > 0)) continue;
            if (seen++ == index) return $"{prefix}.buttons[{k}]{path[(close + 1)..]}";
        }

        return path;
    }

    private bool VariantFilled(int i) =>
        this[$"variants[{i}].name"].Length > 0 || this[$"variants[{i}].percent"].Length > 0
        || MessageFields.Any(f => this[$"variants[{i}].message.{f}"].Trim().Length > 0)
        || ButtonFields.Any(f => this[$"variants[{i}].message.buttons[0].{f}"].Trim().Length > 0)
        || TranslationFilled($"variants[{i}].message", 0);

    private bool TranslationFilled(string prefix, int j) => TranslationFields.Any(f => this[$"{prefix}.translations[{j}].{f}"].Trim().Length > 0);

    private void PutMessage(JsonObject target, string name, string? prefix = null)
    {
        prefix ??= name;
        var message = new JsonObject();
        foreach (string field in MessageFields)
        {
            string path = $"{prefix}.{field}";
            if (field == "data") Put(message, "data", Data(path));
            else if (field == "badge") Put(message, field, Number(path));
            else Put(message, field, Text(path));
        }

        var buttons = new JsonArray();
        for (int k = 0; k < CampaignMessage.MaxButtons; k++)
        {
            var button = new JsonObject();
            foreach (string field in ButtonFields) Put(button, field, Text($"{prefix}.buttons[{k}].{field}"));
            if (button.Count > 0) buttons.Add(button);
        }

        if (buttons.Count > 0) message["buttons"] = buttons;

        var translations = new JsonObject();
        for (int j = 0; j < Locales.MaxTranslations; j++)
        {
            if (!TranslationFilled(prefix, j)) continue;
            string row = $"{prefix}.translations[{j}]";
            string locale = this[row + ".locale"].Trim();
            if (locale.Length == 0)
            {
                Problems.Add($"{row}.locale: write the language tag (de, de-AT, pt-BR) the row's texts are in.");
                continue;
            }

            if (translations.ContainsKey(locale))
            {
                Problems.Add($"{row}.locale: {locale} has two rows; keep one.");
                continue;
            }

            var translation = new JsonObject();
            foreach (string field in TranslationFields.Skip(1)) Put(translation, field, Text($"{row}.{field}"));
            translations[locale] = translation;
        }

        if (translations.Count > 0) message["translations"] = translations;
        if (message.Count > 0) target[name] = message;
    }

    /// <summary>Data as "key=value" lines; a line without '=' is kept whole as a key, so the reader names it.</summary>
    private JsonObject? Data(string path)
    {
        string text = this[path];
        if (text.Trim().Length == 0) return null;
        var data = new JsonObject();
        foreach (string raw in text.Split('\n'))
        {
            string line = raw.TrimEnd('\r');
            if (line.Trim().Length == 0) continue;
            int eq = line.IndexOf('=');
            string key = (eq < 0 ? line : line[..eq]).Trim();
            data[key] = eq < 0 ? null : line[(eq + 1)..].Trim();
        }

        return data;
    }

    private JsonNode? Text(string path) => values.TryGetValue(path, out string? v) && v.Trim().Length > 0 ? JsonValue.Create(v.Trim()) : null;

    /// <summary>A number, or the text as typed so the reader says it is not a number.</summary>
    private JsonNode? Number(string path)
    {
        if (Text(path) is not { } text) return null;
        string typed = text.GetValue<string>();
        return double.TryParse(typed, NumberStyles.Float, CultureInfo.InvariantCulture, out double number) && double.IsFinite(number)
            ? JsonValue.Create(number)
            : JsonValue.Create(typed);
    }

    /// <summary>A date-time input (<c>2026-12-24T09:00</c>) as the API's instant: UTC unless the schedule is in local time.</summary>
    private JsonNode? Instant(string path, bool utc)
    {
        if (Text(path) is not { } text) return null;
        string typed = text.GetValue<string>();
        if (typed.Length == 16 && typed[10] == 'T') typed += ":00";
        bool zoned = typed.EndsWith('Z') || typed.LastIndexOfAny(['+', '-']) > 10;
        return JsonValue.Create(utc && !zoned ? typed + "Z" : typed);
    }

    private static string LocalInput(string at) =>
        at.Length >= 16 && at[10] == 'T' && at.EndsWith(":00Z", StringComparison.Ordinal) && at.Length == 20 ? at[..16]
        : at.Length == 19 && at.EndsWith(":00", StringComparison.Ordinal) ? at[..16]
        : at.TrimEnd('Z');

    private static void Put(JsonObject root, string path, JsonNode? value)
    {
        if (value is null) return;
        string[] parts = path.Split('.');
        var node = root;
        foreach (string part in parts[..^1])
        {
            if (node[part] is not JsonObject child) node[part] = child = new JsonObject();
            node = child;
        }

        node[parts[^1]] = value;
    }

    private static void Flatten(JsonElement element, string prefix, Dictionary<string, string> flat)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object when prefix.EndsWith("data", StringComparison.Ordinal):
                flat[prefix] = string.Join("\n", element.EnumerateObject().Select(p => $"{p.Name}={p.Value.GetString()}"));
                break;
            case JsonValueKind.Object when prefix.EndsWith(".translations", StringComparison.Ordinal):
                int row = 0;
                foreach (var translation in element.EnumerateObject())
                {
                    flat[$"{prefix}[{row}].locale"] = translation.Name;
                    Flatten(translation.Value, $"{prefix}[{row}]", flat);
                    row++;
                }

                break;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject()) Flatten(property.Value, prefix.Length == 0 ? property.Name : $"{prefix}.{property.Name}", flat);
                break;
            case JsonValueKind.Array:
                int i = 0;
                foreach (var item in element.EnumerateArray()) Flatten(item, $"{prefix}[{i++}]", flat);
                break;
            case JsonValueKind.String:
                flat[prefix] = element.GetString()!;
                break;
            case JsonValueKind.Number:
                flat[prefix] = element.GetRawText();
                break;
            case JsonValueKind.True or JsonValueKind.False:
                flat[prefix] = element.GetRawText();
                break;
        }
    }
}
