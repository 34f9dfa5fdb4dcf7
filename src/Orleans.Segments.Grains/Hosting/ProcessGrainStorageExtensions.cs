using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime.Hosting;
using Orleans.Storage;

namespace Orleans.Segments.Hosting;

/// <summary>Registration of <see cref="ProcessGrainStorage"/>.</summary>
public static class ProcessGrainStorageExtensions
{
    /// <summary>Adds a <see cref="ProcessGrainStorage"/> named <paramref name="name"/> (state in this process only).</summary>
    public static ISiloBuilder AddProcessGrainStorage(this ISiloBuilder builder, string name)
    {
        builder.Services.AddGrainStorage(name, static (services, _) => new ProcessGrainStorage(services.GetRequiredService<Orleans.Serialization.Serializer>(), services.GetService<SegmentsMetrics>()));
        return builder;
    }
}
