using System.Runtime.InteropServices;
using System.Text.Json;
using Orleans.Segments.Domain.Events;
using Orleans.Segments.Domain.Json;

namespace Orleans.Segments.Domain.Ingestion;

/// <summary>
/// Reads request bodies of the Segment HTTP tracking API (track, identify, page, screen, alias, group, batch)
/// into <see cref="UserEvent"/>s. Validation is all-or-nothing: a body with any error yields no messages, so a
/// client that is told 400 knows nothing of it was applied.
/// </summary>
public sealed class SegmentMessageParser(IngestionLimits limits)
{
    private static readonly DateTime Earliest = new(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>Parses the body of <c>/v1/{kind}</c>, where the route gives the type.</summary>
    public ParseResult ParseSingle(ReadOnlyMemory<byte> body, EventKind kind, DateTime receivedAt)
    {
        var result = new ParseResult();
        if (!TryOpen(body, result, out var document)) return result;
        using (document)
        {
            var root = document.RootElement;
            result.WriteKey = OptionalString(root, "writeKey", "", result);
            ParseMessage(root, kind, "", SentAt(root, "", result), receivedAt, result);
        }

        return Finish(result);
    }

    /// <summary>Parses the body of <c>/v1/batch</c>: <c>{"batch": [...], "sentAt", "context", "writeKey"}</c>.</summary>
    public ParseResult ParseBatch(ReadOnlyMemory<byte> body, DateTime receivedAt)
    {
        var result = new ParseResult();
        if (!TryOpen(body, result, out var document)) return result;
        using (document)
        {
            var root = document.RootElement;
            result.WriteKey = OptionalString(root, "writeKey", "", result);
            var sentAt = SentAt(root, "", result);
            if (!root.TryGetProperty("batch", out var batch) || batch.ValueKind != JsonValueKind.Array)
            {
                result.Errors.Add("batch: must be an array of messages.");
                return result;
            }

            int index = 0;
            foreach (var item in batch.EnumerateArray())
            {
                string path = $"batch[{index++}].";
                if (item.ValueKind != JsonValueKind.Object)
                {
                    result.Errors.Add($"{path[..^1]}: must be an object.");
                    continue;
                }

                if (JsonMarshal.GetRawUtf8Value(item).Length > limits.MaxMessageBytes)
                {
                    result.Errors.Add($"{path[..^1]}: message is larger than {limits.MaxMessageBytes / 1024} KB.");
                    continue;
                }

                // Why: analytics-next puts the write key in every event of a batch too; one request is one app.
                if (OptionalString(item, "writeKey", path, result) is { } itemKey)
                {
                    result.WriteKey ??= itemKey;
                    if (itemKey != result.WriteKey) result.Errors.Add($"{path}writeKey: differs from the request's write key; a batch belongs to one app.");
                }

                string? type = OptionalString(item, "type", path, result);
                if (!TryParseKind(type, out var kind))
                {
                    result.Errors.Add($"{path}type: must be one of track, identify, page, screen, alias, group.");
                    continue;
                }

                ParseMessage(item, kind, path, SentAt(item, path, result) ?? sentAt, receivedAt, result);
            }

            if (index == 0) result.Errors.Add("batch: must hold at least one message.");
        }

        return Finish(result);
    }

    public static bool TryParseKind(string? type, out EventKind kind)
    {
        switch (type)
        {
            case "track": kind = EventKind.Track; return true;
            case "identify": kind = EventKind.Identify; return true;
            case "page": kind = EventKind.Page; return true;
            case "screen": kind = EventKind.Screen; return true;
            case "alias": kind = EventKind.Alias; return true;
            case "group": kind = EventKind.Group; return true;
            default: kind = default; return false;
        }
    }

    private bool TryOpen(ReadOnlyMemory<byte> body, ParseResult result, out JsonDocument document)
    {
        document = null!;
        if (!JsonInput.TryParse(body, limits.MaxDepth, out var parsed, out string? error))
        {
            result.Errors.Add($"body: {error}");
            return false;
        }

        document = parsed!;
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            result.Errors.Add("body: must be a JSON object.");
            return false;
        }

        return true;
    }

    private static ParseResult Finish(ParseResult result)
    {
        if (!result.IsValid) result.Messages.Clear();
        return result;
    }

    private void ParseMessage(JsonElement message, EventKind kind, string path, DateTime? sentAt, DateTime receivedAt, ParseResult result)
    {
        int errorsBefore = result.Errors.Count;
        string? userId = Id(message, "userId", path, result);
        string? anonymousId = Id(message, "anonymousId", path, result);
        string? previousId = kind == EventKind.Alias ? Id(message, "previousId", path, result) : null;

        if (kind == EventKind.Alias)
        {
            if (userId is null) result.Errors.Add($"{path}userId: alias needs the new userId.");
            if (previousId is null) result.Errors.Add($"{path}previousId: alias needs the previousId.");
        }
        else if (userId is null && anonymousId is null)
        {
            result.Errors.Add($"{path}userId: userId or anonymousId is required.");
        }

        string messageId = Id(message, "messageId", path, result) ?? Guid.NewGuid().ToString("N");
        var timestamp = Timestamp(message, path, sentAt, receivedAt, result);

        string? name = null;
        if (kind == EventKind.Track)
        {
            name = Id(message, "event", path, result, numberAllowed: false);
            if (name is null && result.Errors.Count == errorsBefore) result.Errors.Add($"{path}event: a track call needs an event name.");
        }
        else if (kind is EventKind.Page or EventKind.Screen)
        {
            name = Id(message, "name", path, result, numberAllowed: false);
        }

        var properties = OptionalObject(message, "properties", path, result);
        var context = OptionalObject(message, "context", path, result);
        var traitsElement = kind == EventKind.Identify
            ? OptionalObject(message, "traits", path, result)
            : context is { } c ? OptionalObject(c, "traits", path + "context.", result) : null;

        var numbers = properties is { } p ? Numbers(p) : null;
        var categories = properties is { } q ? Categories(q, path, result) : null;
        string? notificationId = properties is { } r && kind == EventKind.Track ? NotificationId(r, path, result) : null;
        var traits = traitsElement is { } t ? Traits(t, timestamp) : null;
        GeoPoint? location = null;
        string? timeZone = null;
        DeviceToken? device = null;
        ClientContext? client = null;
        if (context is { } ctx)
        {
            location = Location(ctx, path + "context.", result);
            timeZone = TimeZone(ctx, path + "context.", result);
            device = Device(ctx, path + "context.", result);
            client = ClientOf(ctx, anonymousId, result);
        }

        if (result.Errors.Count > errorsBefore) return;

        var user = userId is not null ? new UserRef(userId, false) : new UserRef(anonymousId!, true);
        result.Messages.Add(new ParsedMessage(user, new UserEvent(kind, messageId, timestamp)
        {
            Name = name,
            Numbers = numbers,
            Categories = categories,
            Traits = traits,
            Location = location,
            TimeZone = timeZone,
            Device = device,
            AnonymousId = kind == EventKind.Alias ? previousId : userId is not null ? anonymousId : null,
            NotificationId = notificationId,
            Client = client,
        }));
    }

    private string? Id(JsonElement message, string field, string path, ParseResult result, bool numberAllowed = true)
    {
        if (!message.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        string? text = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            // Why: some backends send numeric user ids; Segment accepts them and so do we, as their text (names must be strings).
            JsonValueKind.Number when numberAllowed => value.GetRawText(),
            _ => null,
        };

        if (text is null)
        {
            result.Errors.Add($"{path}{field}: must be a string.");
            return null;
        }

        if (text.Length == 0) return null;
        if (text.Length > limits.MaxIdLength)
        {
            result.Errors.Add($"{path}{field}: longer than {limits.MaxIdLength} characters.");
            return null;
        }

        if (text.AsSpan().ContainsAnyInRange('\u0000', '\u001f'))
        {
            result.Errors.Add($"{path}{field}: contains control characters.");
            return null;
        }

        return text;
    }

    private static string? OptionalString(JsonElement element, string field, string path, ParseResult result)
    {
        if (!element.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind == JsonValueKind.String) return value.GetString();
        result.Errors.Add($"{path}{field}: must be a string.");
        return null;
    }

    private static JsonElement? OptionalObject(JsonElement element, string field, string path, ParseResult result)
    {
        if (!element.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind == JsonValueKind.Object) return value;
        result.Errors.Add($"{path}{field}: must be an object.");
        return null;
    }

    private static DateTime? SentAt(JsonElement element, string path, ParseResult result)
    {
        var text = OptionalString(element, "sentAt", path, result);
        if (text is null) return null;
        if (TryParseTime(text, out var sentAt)) return sentAt;
        result.Errors.Add($"{path}sentAt: '{Truncate(text)}' is not {Iso8601.Form}.");
        return null;
    }

    private DateTime Timestamp(JsonElement message, string path, DateTime? sentAt, DateTime receivedAt, ParseResult result)
    {
        var text = OptionalString(message, "timestamp", path, result) ?? OptionalString(message, "originalTimestamp", path, result);
        if (text is null) return receivedAt;
        if (!TryParseTime(text, out var timestamp))
        {
            result.Errors.Add($"{path}timestamp: '{Truncate(text)}' is not {Iso8601.Form}.");
            return receivedAt;
        }

        // Why: like Segment, correct the device's clock skew with the gap between its sentAt and our receipt,
        // before judging the time, so a device whose clock runs fast is corrected rather than refused.
        // A correction that would leave the plausible range is ignored (in ticks, so that an absurd sentAt such as
        // year 9999 cannot overflow DateTime).
        if (sentAt is { } sent)
        {
            long corrected = timestamp.Ticks + (receivedAt.Ticks - sent.Ticks);
            if (corrected >= Earliest.Ticks && corrected <= (receivedAt + limits.MaxFutureSkew).Ticks)
            {
                timestamp = new DateTime(corrected, DateTimeKind.Utc);
            }
        }

        if (timestamp > receivedAt + limits.MaxFutureSkew)
        {
            result.Errors.Add($"{path}timestamp: {text} is more than {limits.MaxFutureSkew.TotalHours:0} hours in the future.");
            return receivedAt;
        }

        if (timestamp < Earliest)
        {
            result.Errors.Add($"{path}timestamp: {text} is before 2000-01-01.");
            return receivedAt;
        }

        return timestamp;
    }

    private static bool TryParseTime(string text, out DateTime utc) => Iso8601.TryParse(text, out utc);

    /// <summary><c>properties.notification_id</c>, which the app copies from the push it was opened by.</summary>
    private static string? NotificationId(JsonElement properties, string path, ParseResult result)
    {
        if (!properties.TryGetProperty("notification_id", out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind != JsonValueKind.String || value.GetString() is not { Length: > 0 and <= 128 } id)
        {
            result.Errors.Add($"{path}properties.notification_id: must be a string of 1 to 128 characters.");
            return null;
        }

        return id;
    }

    private Dictionary<string, double>? Numbers(JsonElement properties)
    {
        Dictionary<string, double>? numbers = null;
        foreach (var property in properties.EnumerateObject())
        {
            if (property.Value.ValueKind != JsonValueKind.Number || !property.Value.TryGetDouble(out double value) || !double.IsFinite(value)) continue;
            if (property.Name.Length is 0 or > 128) continue;
            numbers ??= new Dictionary<string, double>(StringComparer.Ordinal);
            if (numbers.Count >= limits.MaxNumericProperties) break;
            numbers[property.Name] = value;
        }

        return numbers;
    }

    private static string[]? Categories(JsonElement properties, string path, ParseResult result)
    {
        var categories = new List<string>();
        AddCategory(properties, categories);
        if (properties.TryGetProperty("products", out var products))
        {
            if (products.ValueKind == JsonValueKind.Array)
            {
                foreach (var product in products.EnumerateArray())
                {
                    if (product.ValueKind == JsonValueKind.Object) AddCategory(product, categories);
                }
            }
            else if (products.ValueKind != JsonValueKind.Null)
            {
                result.Errors.Add($"{path}properties.products: must be an array.");
            }
        }

        return categories.Count == 0 ? null : categories.ToArray();
    }

    private static void AddCategory(JsonElement element, List<string> categories)
    {
        if (!element.TryGetProperty("category", out var value) || value.ValueKind != JsonValueKind.String) return;
        string category = value.GetString()!.Trim().ToLowerInvariant();
        if (category.Length is 0 or > 64 || categories.Contains(category) || categories.Count >= 16) return;
        categories.Add(category);
    }

    /// <summary>A traits object as trait values set at <paramref name="at"/> (names of 1 to 128 characters; the rest left out).</summary>
    public static Dictionary<string, TraitValue>? Traits(JsonElement traits, DateTime at)
    {
        var values = new Dictionary<string, TraitValue>(StringComparer.Ordinal);
        foreach (var trait in traits.EnumerateObject())
        {
            if (trait.Name.Length is 0 or > 128) continue;
            var value = trait.Value;
            values[trait.Name] = value.ValueKind switch
            {
                JsonValueKind.String => TraitValue.Of(value.GetString()!, at),
                // Why: a number beyond double's range (1e400) reads as infinity, which JSON cannot write back;
                // such a value falls through to its JSON text below.
                JsonValueKind.Number when value.TryGetDouble(out double number) && double.IsFinite(number) => TraitValue.Of(number, at),
                JsonValueKind.True => TraitValue.Of(true, at),
                JsonValueKind.False => TraitValue.Of(false, at),
                JsonValueKind.Null => TraitValue.Null(at),
                _ => TraitValue.OfJson(value.GetRawText(), at),
            };
        }

        return values.Count == 0 ? null : values;
    }

    private static GeoPoint? Location(JsonElement context, string path, ParseResult result)
    {
        if (OptionalObject(context, "location", path, result) is not { } location) return null;
        bool hasLat = location.TryGetProperty("latitude", out var lat) && lat.ValueKind != JsonValueKind.Null;
        bool hasLon = location.TryGetProperty("longitude", out var lon) && lon.ValueKind != JsonValueKind.Null;
        if (!hasLat && !hasLon) return null;
        if (!hasLat || !hasLon || lat.ValueKind != JsonValueKind.Number || lon.ValueKind != JsonValueKind.Number ||
            !GeoPoint.IsValid(lat.GetDouble(), lon.GetDouble()))
        {
            result.Errors.Add($"{path}location: latitude and longitude must both be numbers within ±90 and ±180.");
            return null;
        }

        return new GeoPoint(lat.GetDouble(), lon.GetDouble(),
            OptionalString(location, "city", path + "location.", result),
            OptionalString(location, "country", path + "location.", result));
    }

    private static string? TimeZone(JsonElement context, string path, ParseResult result)
    {
        var zone = OptionalString(context, "timezone", path, result);
        if (zone is null) return null;
        if (zone.Length <= 64 && TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _))
        {
            // Why: segments and quiet hours compare IANA ids; a Windows id is stored as its IANA equivalent.
            return TimeZoneInfo.TryConvertWindowsIdToIanaId(zone, out var iana) ? iana : zone;
        }

        result.Errors.Add($"{path}timezone: '{Truncate(zone)}' is not a known IANA time zone.");
        return null;
    }

    private static DeviceToken? Device(JsonElement context, string path, ParseResult result)
    {
        if (OptionalObject(context, "device", path, result) is not { } device) return null;
        var token = OptionalString(device, "token", path + "device.", result);
        if (token is null) return null;
        var type = OptionalString(device, "type", path + "device.", result);
        if (!DeviceToken.TryParsePlatform(type, out var platform))
        {
            result.Errors.Add($"{path}device.type: must be ios or android when device.token is set.");
            return null;
        }

        if (!DeviceToken.IsWellFormed(token, platform))
        {
            result.Errors.Add($"{path}device.token: not a well-formed {(platform == PushPlatform.Ios ? "APNs" : "FCM")} token.");
            return null;
        }

        return new DeviceToken(token, platform);
    }

    /// <summary>
    /// The device context, read once per run of events with the same context: an SDK's batch comes from one
    /// device, so its events carry the same <c>context</c> byte for byte, and share one <see cref="ClientContext"/>.
    /// </summary>
    private static ClientContext? ClientOf(JsonElement context, string? anonymousId, ParseResult result)
    {
        if (result.LastContext is { } last && last.AnonymousId == anonymousId &&
            JsonMarshal.GetRawUtf8Value(last.Context).SequenceEqual(JsonMarshal.GetRawUtf8Value(context)))
        {
            return last.Client;
        }

        var client = Client(context, anonymousId);
        result.LastContext = (context, anonymousId, client);
        return client;
    }

    /// <summary>
    /// The device and app context of the event, or null when it names none (a backend's event carries only
    /// <c>context.library</c>, which says nothing of the user's device). Values of the wrong type are ignored
    /// rather than refused: SDKs differ in what they send, and none of it may cost the event.
    /// </summary>
    private static ClientContext? Client(JsonElement context, string? anonymousId)
    {
        var app = Member(context, "app");
        var os = Member(context, "os");
        var device = Member(context, "device");
        string? locale = Text(context, "locale");
        if (app is null && os is null && device is null && locale is null) return null;

        var network = Member(context, "network");
        var library = Member(context, "library");
        string? deviceId = device is { } d ? Text(d, "id") : null;
        string? libraryName = library is { } l ? Text(l, "name") : null;
        return new ClientContext
        {
            Key = deviceId ?? (anonymousId is { Length: <= ClientContext.MaxText } ? anonymousId : null) ?? libraryName ?? "unknown",
            DeviceType = device is { } t ? Text(t, "type")?.ToLowerInvariant() : null,
            Manufacturer = device is { } m ? Text(m, "manufacturer") : null,
            Model = device is { } n ? Text(n, "model") : null,
            AppName = app is { } a ? Text(a, "name") : null,
            AppVersion = app is { } v ? Text(v, "version") : null,
            AppBuild = app is { } b ? Text(b, "build") : null,
            AppNamespace = app is { } ns ? Text(ns, "namespace") : null,
            OsName = os is { } o ? Text(o, "name") : null,
            OsVersion = os is { } ov ? Text(ov, "version") : null,
            Locale = locale?.Replace('_', '-'),
            Wifi = network is { } w ? Flag(w, "wifi") : null,
            Cellular = network is { } c ? Flag(c, "cellular") : null,
            Bluetooth = network is { } bt ? Flag(bt, "bluetooth") : null,
            Carrier = network is { } cr ? Text(cr, "carrier") : null,
            LibraryName = libraryName,
            LibraryVersion = library is { } lv ? Text(lv, "version") : null,
        };
    }

    private static JsonElement? Member(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object ? value : null;

    /// <summary>
    /// A short text field; numbers are read as their text (a build number sent as 45). Empty, control characters,
    /// and analytics-kotlin's "undefined" for a value it could not read are absent.
    /// </summary>
    private static string? Text(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var value)) return null;
        string? text = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        };
        if (string.IsNullOrWhiteSpace(text) || text == "undefined" || text.AsSpan().ContainsAnyInRange('\u0000', '\u001f')) return null;
        text = text.Trim();
        if (text.Length <= ClientContext.MaxText) return text;

        // Why: never cut between the two halves of a surrogate pair.
        int cut = char.IsHighSurrogate(text[ClientContext.MaxText - 1]) ? ClientContext.MaxText - 1 : ClientContext.MaxText;
        return text[..cut];
    }

    private static bool? Flag(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : null;

    private static string Truncate(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
