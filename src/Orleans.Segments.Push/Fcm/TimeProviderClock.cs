using Google.Apis.Util;

namespace Orleans.Segments.Push.Fcm;

/// <summary>Lets Google.Apis.Auth read time from our <see cref="TimeProvider"/>, so tests drive token expiry with fake time.</summary>
internal sealed class TimeProviderClock(TimeProvider time) : IClock
{
    public DateTime Now => time.GetLocalNow().DateTime;

    public DateTime UtcNow => time.GetUtcNow().UtcDateTime;
}
