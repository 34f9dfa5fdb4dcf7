namespace Orleans.Segments.Users;

/// <summary>Events per minute of one app over the last hour, in memory (see <see cref="IAppActivityGrain"/>).</summary>
public sealed class AppActivityGrain : Grain, IAppActivityGrain
{
    private const int MinutesKept = 60;

    private readonly Dictionary<long, long> perMinute = [];

    Task IAppActivityGrain.Record(DateTime minute, long events)
    {
        long key = minute.Ticks / TimeSpan.TicksPerMinute;
        perMinute[key] = perMinute.GetValueOrDefault(key) + events;
        if (perMinute.Count > MinutesKept * 2)
        {
            long newest = perMinute.Keys.Max();
            foreach (long old in perMinute.Keys.Where(k => k <= newest - MinutesKept).ToList()) perMinute.Remove(old);
        }

        return Task.CompletedTask;
    }

    Task<long[]> IAppActivityGrain.PerMinute(DateTime now, int minutes)
    {
        long last = now.Ticks / TimeSpan.TicksPerMinute;
        int count = Math.Clamp(minutes, 1, MinutesKept);
        var series = new long[count];
        for (int i = 0; i < count; i++) series[i] = perMinute.GetValueOrDefault(last - count + 1 + i);
        return Task.FromResult(series);
    }
}
