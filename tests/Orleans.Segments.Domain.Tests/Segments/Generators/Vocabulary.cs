namespace Orleans.Segments.Domain.Tests.Segments.Generators;

/// <summary>The names generated rules and generated users share, so that rules meet users who did those things.</summary>
internal static class Vocabulary
{
    public static readonly DateTime Start = new(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public static readonly string[] Events = ["Order Completed", "Application Opened", "Product Viewed", "Signed Up"];

    public static readonly string[] Properties = ["revenue", "items"];

    public static readonly string[] Categories = ["electronics", "fashion", "books"];

    public static readonly string[] Traits = ["plan", "age", "vip", "email"];

    public static readonly string[] Plans = ["free", "pro", "team"];

    public static readonly string[] Fences = ["central-station", "store-1"];

    public static readonly string[] SegmentIds = ["a", "b", "c"];

    public static readonly string[] TimeZones = ["Europe/Berlin", "America/New_York", "Asia/Tokyo"];

    public static readonly string[] Cities = ["Berlin", "Hamburg", "Paris"];

    public static readonly string[] Countries = ["DE", "FR"];

    public static readonly string[] Stages = ["new", "active", "loyal", "at_risk", "lapsed"];

    public static readonly string?[] AppVersions = ["5.9.3", "5.10", "5.10.0", "5.2.0-beta.1", "5.2.0", "17.4", "unknown", null];

    public static readonly string?[] Locales = ["de-DE", "en-US", "pt-BR", "de", null];

    public static readonly string?[] Models = ["iPhone15,2", "Pixel 7", null];

    public static readonly string[] Platforms = ["ios", "android", "web", "macos"];

    public static readonly string[] LanguageCodes = ["de", "en", "pt"];

    /// <summary>Names nobody uses, with the characters a printer must escape.</summary>
    public static readonly string[] Odd = ["x", "quote\"inside", "back\\slash", "trailing\\", "ünïcödé", "tab\tand space"];
}
