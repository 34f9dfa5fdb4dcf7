using MessagePack;
using Orleans.Segments.Domain.Events;

namespace Orleans.Segments.Domain.Profile;

/// <summary>
/// One device (or browser) the app ran on for this user, as the SDK last described it: app version, OS,
/// model, locale, network. Kept per device, so an iPhone and an iPad on different versions stay apart.
/// </summary>
[GenerateSerializer, Alias("segments.AppDevice")]
[MessagePackObject]
public sealed class AppDevice
{
    /// <summary>The latest description; a field a later event left out keeps its earlier value.</summary>
    [Id(0), Key(0)] public required ClientContext Context { get; set; }

    [Id(1), Key(1)] public DateTime FirstSeenAt { get; set; }

    [Id(2), Key(2)] public DateTime LastSeenAt { get; set; }

    /// <summary>The normalised platform: ios, android, macos, tvos, watchos, visionos, web, or the type as sent.</summary>
    [IgnoreMember]
    public string? Platform => Platforms.Of(Context);
}

/// <summary>Names the platform a device context describes, the way rules and campaigns compare it.</summary>
public static class Platforms
{
    public static string? Of(ClientContext context) => context.DeviceType switch
    {
        "ios" or "ipados" => "ios",
        "android" => "android",
        { Length: > 0 } type => type,
        _ => context.OsName?.ToLowerInvariant() switch
        {
            "ios" or "ipados" => "ios",
            "android" => "android",
            { } os => os,
            null => context.LibraryName is "analytics.js" or "analytics-next" ? "web" : null,
        },
    };
}
