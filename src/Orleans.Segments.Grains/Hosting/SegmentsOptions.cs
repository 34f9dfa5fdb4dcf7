using Orleans.Segments.Domain.Profile;

namespace Orleans.Segments.Hosting;

/// <summary>The engine's settings, bound from the <c>Segments</c> configuration section.</summary>
public sealed class SegmentsOptions
{
    public const string Section = "Segments";

    /// <summary>The apps served, by app id. Default: none (the server adds <c>demo</c> when it runs embedded).</summary>
    public Dictionary<string, AppOptions> Apps { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The time-driven wake-up service. Default: see <see cref="WakeupOptions"/>.</summary>
    public WakeupOptions Wakeups { get; set; } = new();

    /// <summary>How grain state is stored. Default: see <see cref="StorageOptions"/>.</summary>
    public StorageOptions Storage { get; set; } = new();

    /// <summary>What rendering one message template may cost, and each app's share of rendering time. Default: see <see cref="Domain.Campaigns.TemplateLimits"/>.</summary>
    public Domain.Campaigns.TemplateLimits Templates { get; set; } = new();

    /// <summary>How events are streamed to the apps' webhooks.</summary>
    public global::Orleans.Segments.Webhooks.WebhookOptions Webhooks { get; set; } = new();

    /// <summary>The model of <paramref name="appId"/>, or the defaults when the app sets none.</summary>
    public UserModelPolicy PolicyFor(string appId) => Apps.TryGetValue(appId, out var app) ? app : UserModelPolicy.Default;
}

/// <summary>One app: its keys and the thresholds of its user model.</summary>
public sealed class AppOptions : UserModelPolicy
{
    /// <summary>The key mobile backends ingest with (HTTP Basic user name, or <c>writeKey</c>). Default: generated at start-up.</summary>
    public string? WriteKey { get; set; }

    /// <summary>The key of the management API (<c>Authorization: Bearer</c>). Default: generated at start-up.</summary>
    public string? AdminKey { get; set; }

    /// <summary>
    /// The web origins (<c>https://shop.example.com</c>) whose pages may send events with the write key from a
    /// browser. Default: none listed, which allows any origin (a write key ships inside pages and apps anyway).
    /// </summary>
    public string[] AllowedOrigins { get; set; } = [];
}

/// <summary>How grain state is stored.</summary>
public sealed class StorageOptions
{
    /// <summary>
    /// The format the tagged records (users' profiles, segment index shards, directory pages, wake-up buckets; see
    /// <see cref="StoredStateFormat"/>) are written in; both formats are always read. Default:
    /// <see cref="StateFormat.MessagePack"/>. Set <see cref="StateFormat.Orleans"/> for a rolling upgrade from a
    /// version that wrote them in Orleans' format only, so that silos not yet upgraded can read what upgraded ones
    /// write; set it back once every silo is upgraded.
    /// </summary>
    public StateFormat StateFormat { get; set; } = StateFormat.MessagePack;
}

/// <summary>How the tagged records are written to storage (see <see cref="StoredStateFormat"/>).</summary>
public enum StateFormat
{
    /// <summary>MessagePack behind a format tag: the default, about 1.4x cheaper per profile write.</summary>
    MessagePack,

    /// <summary>Orleans' binary format, as versions before the tag wrote and read every record.</summary>
    Orleans,
}

/// <summary>How time-driven changes (lifecycle, segments) are scheduled for users whose grains are not active.</summary>
public sealed class WakeupOptions
{
    /// <summary>The width of one wake-up bucket; a change fires at most this much after it is due. Default: 1 minute.</summary>
    public TimeSpan BucketWidth { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How many grains share one bucket. Default: 16.</summary>
    public int Shards { get; set; } = 16;

    /// <summary>How often the dispatcher looks for due buckets. Default: 10 seconds.</summary>
    public TimeSpan TickInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long after a bucket ends it is fired, to absorb clock skew between silos. Default: 2 seconds.</summary>
    public TimeSpan Grace { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How many users one bucket grain wakes at once. Default: 64.</summary>
    public int Concurrency { get; set; } = 64;

    public Wakeups.WakeupSchedule Schedule => new(BucketWidth, Shards);
}
