using System.Globalization;
using System.Text.Json;
using Orleans.Segments.Domain;
using Orleans.Segments.Domain.Events;
using Orleans.Segments.Domain.Ingestion;
using Orleans.Segments.Server.Application;
using Orleans.Segments.Users;

namespace Orleans.Segments.Server.Apis;

/// <summary>
/// Reads one line of a bulk import into an <see cref="ImportedUser"/>, whole or not at all: NDJSON objects
/// (<c>userId</c>, <c>traits</c>, <c>devices</c>, <c>consents</c>, <c>firstSeen</c>, <c>lastSeen</c>) or CSV rows
/// under a header (<c>userId</c>, <c>traits.&lt;name&gt;</c>, <c>deviceToken</c>, <c>devicePlatform</c>,
/// <c>marketing</c>, <c>transactional</c>, <c>firstSeen</c>, <c>lastSeen</c>).
/// </summary>
public static class UserImportReader
{
    /// <summary>The longest line (or CSV field) read; a longer one is refused with its number.</summary>
    public const int MaxLineBytes = 64 * 1024;

    public const int MaxDevices = 10;

    private static readonly string[] JsonFields = ["userId", "traits", "devices", "consents", "firstSeen", "lastSeen"];

    private static readonly string[] CsvColumns = ["userId", "deviceToken", "devicePlatform", "marketing", "transactional", "firstSeen", "lastSeen"];

    public static (ImportedUser? User, string? Error) FromJson(ReadOnlySpan<byte> line, DateTime now)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line.ToArray(), new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException ex)
        {
            return (null, $"not JSON: {ex.Message.Split(" LineNumber", 2)[0]}");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return (null, "must be a JSON object with a userId.");
            foreach (var property in root.EnumerateObject())
            {
                if (!JsonFields.Contains(property.Name)) return (null, $"{Shown(property.Name)}: not a field of an imported user (userId, traits, devices, consents, firstSeen, lastSeen).");
            }

            if (!root.TryGetProperty("userId", out var id) || id.ValueKind != JsonValueKind.String) return (null, "userId: required, a string.");
            string userId = id.GetString()!;
            if (!UserService.IsValidUserId(userId)) return (null, "userId: 1 to 256 characters, no control characters.");
            var (firstSeen, lastSeen, seenError) = (Instant(root, "firstSeen"), Instant(root, "lastSeen"), (string?)null);
            if ((firstSeen.Error ?? lastSeen.Error) is { } error) return (null, error);
            if (firstSeen.At > lastSeen.At) seenError = "firstSeen: after lastSeen.";
            if (seenError is not null) return (null, seenError);

            Dictionary<string, TraitValue>? traits = null;
            if (root.TryGetProperty("traits", out var t))
            {
                if (t.ValueKind != JsonValueKind.Object) return (null, "traits: must be an object.");
                traits = SegmentMessageParser.Traits(t, lastSeen.At ?? now);
            }

            var devices = new List<DeviceToken>();
            if (root.TryGetProperty("devices", out var d))
            {
                if (d.ValueKind != JsonValueKind.Array) return (null, "devices: must be an array of {\"token\", \"platform\"}.");
                int i = 0;
                foreach (var device in d.EnumerateArray())
                {
                    if (i >= MaxDevices) return (null, $"devices: at most {MaxDevices}.");
                    string? token = device.ValueKind == JsonValueKind.Object && device.TryGetProperty("token", out var tk) && tk.ValueKind == JsonValueKind.String ? tk.GetString() : null;
                    string? platform = device.ValueKind == JsonValueKind.Object && device.TryGetProperty("platform", out var pf) && pf.ValueKind == JsonValueKind.String ? pf.GetString() : null;
                    if (Device(token, platform, $"devices[{i}]") is { Error: { } deviceError }) return (null, deviceError);
                    devices.Add(Device(token, platform, $"devices[{i}]").Device!);
                    i++;
                }
            }

            bool? marketing = null, transactional = null;
            if (root.TryGetProperty("consents", out var c))
            {
                if (c.ValueKind != JsonValueKind.Object) return (null, "consents: must be an object {\"marketing\": bool, \"transactional\": bool}.");
                foreach (var consent in c.EnumerateObject())
                {
                    if (consent.Value.ValueKind is not (JsonValueKind.True or JsonValueKind.False)) return (null, $"consents.{Shown(consent.Name)}: must be true or false.");
                    if (consent.Name == "marketing") marketing = consent.Value.GetBoolean();
                    else if (consent.Name == "transactional") transactional = consent.Value.GetBoolean();
                    else return (null, $"consents.{Shown(consent.Name)}: only marketing and transactional.");
                }
            }

            return (new ImportedUser(userId, traits, [.. devices], marketing, transactional, firstSeen.At, lastSeen.At), null);
        }
    }

    /// <summary>The problem with a CSV header, or null: <c>userId</c> is required, and every column is known.</summary>
    public static string? CheckHeader(string[] header)
    {
        if (!header.Contains("userId")) return "the header needs a userId column.";
        foreach (string column in header)
        {
            if (!CsvColumns.Contains(column) && !(column.StartsWith("traits.", StringComparison.Ordinal) && column.Length is > 7 and <= 135))
            {
                return $"'{Shown(column)}' is not a column of an import: userId, traits.<name>, deviceToken, devicePlatform, marketing, transactional, firstSeen, lastSeen.";
            }
        }

        if (header.Distinct().Count() != header.Length) return "a column is named twice.";
        return null;
    }

    /// <summary>A CSV row under <paramref name="header"/>; an empty field sets nothing.</summary>
    public static (ImportedUser? User, string? Error) FromCsv(string[] header, string[] row, DateTime now)
    {
        if (row.Length != header.Length) return (null, $"{row.Length} fields under a header of {header.Length}.");
        string Field(string name) => Array.IndexOf(header, name) is int i and >= 0 ? row[i] : "";
        string userId = Field("userId");
        if (!UserService.IsValidUserId(userId)) return (null, "userId: 1 to 256 characters, no control characters.");
        DateTime? firstSeen = null, lastSeen = null;
        foreach (var (name, set) in new (string, Action<DateTime>)[] { ("firstSeen", at => firstSeen = at), ("lastSeen", at => lastSeen = at) })
        {
            string text = Field(name);
            if (text.Length == 0) continue;
            if (text.Length > 40 || !Iso8601.TryParse(text, out var at)) return (null, $"{name}: an ISO 8601 instant with a zone, e.g. 2026-12-01T09:00:00Z.");
            set(at);
        }

        if (firstSeen > lastSeen) return (null, "firstSeen: after lastSeen.");
        var traits = new Dictionary<string, TraitValue>(StringComparer.Ordinal);
        var at2 = lastSeen ?? now;
        for (int i = 0; i < header.Length; i++)
        {
            if (!header[i].StartsWith("traits.", StringComparison.Ordinal) || row[i].Length == 0) continue;
            string value = row[i];
            traits[header[i]["traits.".Length..]] = value is "true" or "false" ? TraitValue.Of(value == "true", at2)
                : double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double number) && double.IsFinite(number) ? TraitValue.Of(number, at2)
                : TraitValue.Of(value, at2);
        }

        var devices = new List<DeviceToken>();
        if (Field("deviceToken").Length > 0 || Field("devicePlatform").Length > 0)
        {
            var (device, error) = Device(Field("deviceToken"), Field("devicePlatform"), "device");
            if (error is not null) return (null, error);
            devices.Add(device!);
        }

        bool? marketing = null, transactional = null;
        foreach (var (name, set) in new (string, Action<bool>)[] { ("marketing", v => marketing = v), ("transactional", v => transactional = v) })
        {
            string text = Field(name);
            if (text.Length == 0) continue;
            if (text is not ("true" or "false")) return (null, $"{name}: true or false.");
            set(text == "true");
        }

        return (new ImportedUser(userId, traits.Count > 0 ? traits : null, [.. devices], marketing, transactional, firstSeen, lastSeen), null);
    }

    private static (DeviceToken? Device, string? Error) Device(string? token, string? platformText, string path)
    {
        if (!DeviceToken.TryParsePlatform(platformText, out var platform)) return (null, $"{path}.platform: \"ios\" or \"android\".");
        if (token is null || !DeviceToken.IsWellFormed(token, platform))
        {
            return (null, platform == PushPlatform.Ios ? $"{path}.token: an APNs token (an even number of hex digits, at least 64)." : $"{path}.token: an FCM token (32 or more of A-Z, a-z, 0-9, '-', '_', ':', '.').");
        }

        return (new DeviceToken(token, platform), null);
    }

    private static (DateTime? At, string? Error) Instant(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var value)) return (null, null);
        return value.ValueKind == JsonValueKind.String && value.GetString() is { Length: <= 40 } text && Iso8601.TryParse(text, out var at)
            ? (at, null)
            : (null, $"{name}: an ISO 8601 instant with a zone, e.g. 2026-12-01T09:00:00Z.");
    }

    private static string Shown(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
