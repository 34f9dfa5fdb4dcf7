using System.Buffers;
using System.Text.Json;

namespace Orleans.Segments.Benchmarks.Workload;

/// <summary>What one <c>/v1/batch</c> request carries.</summary>
/// <param name="Users">How many distinct users the traffic is spread over.</param>
/// <param name="UsersPerBatch">How many users one batch holds (the gateway makes one grain call per user).</param>
/// <param name="EventsPerUser">How many events each of those users has in the batch.</param>
/// <param name="AnonymousIds">Whether events carry an anonymousId beside the userId, as mobile SDKs send them.</param>
public sealed record BatchShape(int Users, int UsersPerBatch, int EventsPerUser, bool AnonymousIds)
{
    public int EventsPerBatch => UsersPerBatch * EventsPerUser;

    /// <summary>The shape used unless told otherwise: 100 events, 20 users with 5 events each, anonymous ids on.</summary>
    public static BatchShape Default(int users) => new(users, 20, 5, true);
}

/// <summary>
/// Writes Segment-spec <c>/v1/batch</c> bodies of live mobile traffic: track, screen and identify calls with the
/// properties and the <c>context</c> (app, device, os, locale, timezone, network, library, screen) that the
/// analytics-swift and analytics-kotlin SDKs send.
/// </summary>
public static class SegmentJson
{
    /// <summary>A batch for <paramref name="shape"/>.UsersPerBatch distinct users drawn at random.</summary>
    public static byte[] Batch(Random random, BatchShape shape, DateTime now) =>
        Batch(random, PickUsers(random, shape.Users, shape.UsersPerBatch), shape.EventsPerUser, shape.AnonymousIds, now);

    /// <summary>A batch with <paramref name="eventsPerUser"/> events for each of <paramref name="users"/>.</summary>
    public static byte[] Batch(Random random, IReadOnlyList<int> users, int eventsPerUser, bool anonymousIds, DateTime now)
    {
        var buffer = new ArrayBufferWriter<byte>(users.Count * eventsPerUser * 900);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartArray("batch");
            foreach (int user in users)
            {
                var persona = Persona.Of(user);
                for (int i = 0; i < eventsPerUser; i++)
                {
                    var at = now.AddMilliseconds(-random.Next(60_000));
                    WriteEvent(json, random, persona, anonymousIds, at);
                }
            }

            json.WriteEndArray();
            json.WriteString("sentAt", now);
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Distinct user numbers in [0, users).</summary>
    public static int[] PickUsers(Random random, int users, int count)
    {
        if (count >= users) return Enumerable.Range(0, users).ToArray();
        var picked = new HashSet<int>();
        while (picked.Count < count) picked.Add(random.Next(users));
        return picked.ToArray();
    }

    private static void WriteEvent(Utf8JsonWriter json, Random random, Persona p, bool anonymousIds, DateTime at)
    {
        int roll = random.Next(100);
        json.WriteStartObject();
        switch (roll)
        {
            case < 35:
                Track(json, "Product Viewed");
                Product(json, random, p, withQuantity: false);
                break;
            case < 55:
                json.WriteString("type", "screen");
                json.WriteString("name", random.Next(2) == 0 ? "Home" : "Search");
                json.WriteStartObject("properties");
                json.WriteString("path", "/home");
                json.WriteEndObject();
                break;
            case < 70:
                Track(json, "Application Opened");
                json.WriteStartObject("properties");
                json.WriteBoolean("from_background", random.Next(2) == 0);
                json.WriteString("version", "4.2.0");
                json.WriteString("build", "420");
                json.WriteEndObject();
                break;
            case < 82:
                Track(json, "Product Added");
                Product(json, random, p, withQuantity: true);
                break;
            case < 87:
                Track(json, "Checkout Started");
                json.WriteStartObject("properties");
                json.WriteNumber("value", 20 + random.Next(300));
                json.WriteString("currency", "EUR");
                json.WriteEndObject();
                break;
            case < 92:
                Track(json, "Order Completed");
                Order(json, random, p);
                break;
            default:
                json.WriteString("type", "identify");
                json.WriteStartObject("traits");
                json.WriteString("plan", p.Number % 4 == 0 ? "premium" : "free");
                json.WriteString("last_campaign", $"spring-{random.Next(5)}");
                json.WriteNumber("sessions", random.Next(1, 500));
                json.WriteEndObject();
                break;
        }

        json.WriteString("userId", p.UserId);
        if (anonymousIds) json.WriteString("anonymousId", p.AnonymousId);
        json.WriteString("messageId", Persona.NewGuid(random));
        json.WriteString("timestamp", at);
        Context(json, p);
        json.WriteEndObject();
    }

    private static void Track(Utf8JsonWriter json, string name)
    {
        json.WriteString("type", "track");
        json.WriteString("event", name);
    }

    private static void Product(Utf8JsonWriter json, Random random, Persona p, bool withQuantity)
    {
        int sku = random.Next(10_000);
        json.WriteStartObject("properties");
        json.WriteString("product_id", $"sku-{sku}");
        json.WriteString("name", $"Product {sku}");
        json.WriteString("category", p.Categories[random.Next(p.Categories.Length)]);
        json.WriteNumber("price", 5 + random.Next(20_000) / 100.0);
        json.WriteString("currency", "EUR");
        if (withQuantity) json.WriteNumber("quantity", 1 + random.Next(3));
        json.WriteEndObject();
    }

    private static void Order(Utf8JsonWriter json, Random random, Persona p)
    {
        json.WriteStartObject("properties");
        json.WriteString("order_id", $"o-{random.Next():x8}");
        json.WriteNumber("revenue", 20 + random.Next(30_000) / 100.0);
        json.WriteNumber("tax", random.Next(2_000) / 100.0);
        json.WriteString("currency", "EUR");
        json.WriteStartArray("products");
        int lines = 1 + random.Next(3);
        for (int i = 0; i < lines; i++)
        {
            json.WriteStartObject();
            json.WriteString("product_id", $"sku-{random.Next(10_000)}");
            json.WriteString("category", p.Categories[random.Next(p.Categories.Length)]);
            json.WriteNumber("price", 5 + random.Next(20_000) / 100.0);
            json.WriteNumber("quantity", 1 + random.Next(3));
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void Context(Utf8JsonWriter json, Persona p)
    {
        json.WriteStartObject("context");
        json.WriteStartObject("app");
        json.WriteString("name", "Shop");
        json.WriteString("version", "4.2.0");
        json.WriteString("build", "420");
        json.WriteString("namespace", "com.example.shop");
        json.WriteEndObject();
        json.WriteStartObject("device");
        json.WriteString("id", p.AnonymousId);
        json.WriteString("manufacturer", "Apple");
        json.WriteString("model", "iPhone15,2");
        json.WriteString("type", "ios");
        json.WriteEndObject();
        json.WriteStartObject("os");
        json.WriteString("name", "iOS");
        json.WriteString("version", "18.5");
        json.WriteEndObject();
        json.WriteString("locale", p.Place.Locale);
        json.WriteString("timezone", p.Place.TimeZone);
        json.WriteStartObject("network");
        json.WriteBoolean("wifi", true);
        json.WriteBoolean("cellular", false);
        json.WriteEndObject();
        json.WriteStartObject("library");
        json.WriteString("name", "analytics-swift");
        json.WriteString("version", "1.7.0");
        json.WriteEndObject();
        json.WriteStartObject("screen");
        json.WriteNumber("width", 393);
        json.WriteNumber("height", 852);
        json.WriteEndObject();
        json.WriteEndObject();
    }
}
