namespace Orleans.Segments.Push;

/// <summary>
/// One notification, independent of the provider: APNs and FCM senders each write it in their own wire format.
/// The text fields are what the user sees; the rest says how the provider treats it.
/// </summary>
[GenerateSerializer, Immutable, Alias("segments.PushMessage")]
public sealed record PushMessage
{
    /// <summary>The alert's title.</summary>
    [Id(0)] public string? Title { get; init; }

    /// <summary>The alert's subtitle (iOS only).</summary>
    [Id(1)] public string? Subtitle { get; init; }

    /// <summary>The alert's body.</summary>
    [Id(2)] public string? Body { get; init; }

    /// <summary>The app icon's badge number; 0 clears it; null leaves it.</summary>
    [Id(3)] public int? Badge { get; init; }

    /// <summary>The sound to play (<c>default</c> or a file in the app bundle).</summary>
    [Id(4)] public string? Sound { get; init; }

    /// <summary>The notification category (iOS actions).</summary>
    [Id(5)] public string? Category { get; init; }

    /// <summary>Groups notifications in Notification Center (iOS <c>thread-id</c>).</summary>
    [Id(6)] public string? ThreadId { get; init; }

    /// <summary>Lets a notification service extension modify the content (iOS <c>mutable-content</c>).</summary>
    [Id(7)] public bool MutableContent { get; init; }

    /// <summary>Wakes the app in the background (iOS <c>content-available</c>); alone it makes a background push.</summary>
    [Id(8)] public bool ContentAvailable { get; init; }

    /// <summary>Custom key-value data for the app (FCM <c>data</c>; top-level keys beside <c>aps</c> on APNs).</summary>
    [Id(9)] public Dictionary<string, string>? Data { get; init; }

    /// <summary>How urgently the provider should deliver. Default: <see cref="PushPriority.High"/>.</summary>
    [Id(10)] public PushPriority Priority { get; init; } = PushPriority.High;

    /// <summary>How long the provider keeps trying an offline device; zero means now or never; null is the provider's default.</summary>
    [Id(11)] public TimeSpan? TimeToLive { get; init; }

    /// <summary>A newer notification with the same id replaces an older one (APNs <c>apns-collapse-id</c>, FCM <c>collapse_key</c>).</summary>
    [Id(12)] public string? CollapseId { get; init; }

    /// <summary>The Android notification channel.</summary>
    [Id(13)] public string? AndroidChannelId { get; init; }

    /// <summary>
    /// An https image to show: FCM's <c>notification.image</c> (and <c>fcm_options.image</c> for iOS through FCM);
    /// on APNs the app's notification service extension downloads it from the data's <c>image_url</c>.
    /// </summary>
    [Id(14)] public string? ImageUrl { get; init; }

    /// <summary>A Live Activity update, end or start (APNs only): the push type becomes <c>liveactivity</c>.</summary>
    [Id(15)] public LiveActivityContent? LiveActivity { get; init; }

    /// <summary>True when the notification shows an alert (rather than only waking the app or setting a badge).</summary>
    public bool HasAlert => Title is not null || Subtitle is not null || Body is not null;
}
