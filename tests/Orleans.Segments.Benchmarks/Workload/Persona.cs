namespace Orleans.Segments.Benchmarks.Workload;

/// <summary>The stable facts of one synthetic user: ids, place, device and the three categories it shops in.</summary>
public sealed record Persona(
    int Number,
    string UserId,
    string AnonymousId,
    string DeviceToken,
    Place Place,
    string[] Categories)
{
    /// <summary>The app every synthetic user belongs to.</summary>
    public const string AppId = "bench";

    public static readonly string[] AllCategories =
        ["electronics", "fashion", "books", "garden", "toys", "sports", "beauty", "home", "grocery", "music"];

    private static readonly Place[] Places =
    [
        new("Berlin", "DE", 52.52, 13.405, "Europe/Berlin", "de-DE"),
        new("Paris", "FR", 48.8566, 2.3522, "Europe/Paris", "fr-FR"),
        new("Lisbon", "PT", 38.7223, -9.1393, "Europe/Lisbon", "pt-PT"),
        new("Madrid", "ES", 40.4168, -3.7038, "Europe/Madrid", "es-ES"),
        new("Rome", "IT", 41.9028, 12.4964, "Europe/Rome", "it-IT"),
        new("Warsaw", "PL", 52.2297, 21.0122, "Europe/Warsaw", "pl-PL"),
    ];

    public static string UserIdOf(int number) => $"user-{number:D7}";

    public static Persona Of(int number)
    {
        var random = new Random(number * 7919 + 13);
        var categories = AllCategories.OrderBy(_ => random.Next()).Take(3).ToArray();
        var token = new byte[32];
        random.NextBytes(token);
        return new Persona(
            number,
            UserIdOf(number),
            NewGuid(random),
            Convert.ToHexStringLower(token),
            Places[random.Next(Places.Length)],
            categories);
    }

    /// <summary>A GUID-shaped id drawn from <paramref name="random"/>, so runs are repeatable.</summary>
    public static string NewGuid(Random random)
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        return new Guid(bytes).ToString();
    }
}

/// <summary>Where a persona lives.</summary>
public sealed record Place(string City, string Country, double Latitude, double Longitude, string TimeZone, string Locale);
