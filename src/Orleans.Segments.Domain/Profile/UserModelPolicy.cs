using Orleans.Segments.Domain.Interests;
using Orleans.Segments.Domain.Lifecycle;

namespace Orleans.Segments.Domain.Profile;

/// <summary>Everything that shapes how one app's events build its user profiles.</summary>
public class UserModelPolicy
{
    /// <summary>Lifecycle stage thresholds. Default: see <see cref="LifecyclePolicy"/>.</summary>
    public LifecyclePolicy Lifecycle { get; set; } = new();

    /// <summary>Interest weights and decay. Default: see <see cref="InterestPolicy"/>.</summary>
    public InterestPolicy Interests { get; set; } = new();

    /// <summary>Retry de-duplication. Default: see <see cref="DedupePolicy"/>.</summary>
    public DedupePolicy Dedupe { get; set; } = new();

    /// <summary>Frequency caps for marketing pushes. Default: see <see cref="Campaigns.CapPolicy"/>.</summary>
    public Campaigns.CapPolicy Caps { get; set; } = new();

    /// <summary>Quiet hours in each user's local time. Default: 22:00 to 08:00.</summary>
    public Campaigns.QuietHours QuietHours { get; set; } = new();

    /// <summary>Opt-out window, app-wide broadcast throttle. Default: see <see cref="Campaigns.CampaignPolicy"/>.</summary>
    public Campaigns.CampaignPolicy Campaigns { get; set; } = new();

    /// <summary>Live Activity updates: the priority-10 budget per activity.</summary>
    public LiveActivityPolicy LiveActivities { get; set; } = new();

    /// <summary>The most distinct event names counted per user; later names share the "(other)" counter. Default: 64.</summary>
    public int MaxEventNames { get; set; } = 64;

    /// <summary>The most traits kept per user. Default: 128.</summary>
    public int MaxTraits { get; set; } = 128;

    /// <summary>The most push devices kept per user; the least recently seen is dropped. Default: 10.</summary>
    public int MaxDevices { get; set; } = 10;

    /// <summary>The most app devices (SDK contexts) kept per user; the least recently seen is dropped. Default: 5.</summary>
    public int MaxAppDevices { get; set; } = 5;

    public static UserModelPolicy Default { get; } = new();
}
