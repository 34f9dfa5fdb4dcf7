using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Segments.Hosting;
using Orleans.TestingHost;

namespace Orleans.Segments.Grains.Tests;

/// <summary>The silo setup every grain test cluster shares: the engine, reminders, streams and a test clock.</summary>
internal static class TestSilo
{
    /// <summary>
    /// Adds the engine to <paramref name="silo"/>. Grains see <paramref name="time"/>; Orleans' own background
    /// loops keep real time. Storage named <see cref="SegmentsStorage.Name"/> is the caller's choice.
    /// </summary>
    public static void Configure(ISiloBuilder silo, IConfiguration configuration, TimeProvider time)
    {
        silo.UseInMemoryReminderService();
        silo.AddMemoryStreams(SegmentsStreams.Provider);
        silo.AddMemoryGrainStorage("PubSubStore");
        silo.AddSegments(configuration);
        silo.Services.AddSingleton(time);
        silo.Services.UseTimeProviderForBackgroundAreas(TimeProvider.System);
    }
}
