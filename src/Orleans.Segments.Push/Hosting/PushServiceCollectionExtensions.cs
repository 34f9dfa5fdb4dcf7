using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Segments.Push.Delivery;

namespace Orleans.Segments.Push.Hosting;

public static class PushServiceCollectionExtensions
{
    /// <summary>
    /// Adds push delivery: each app's credentials from <c>Segments:Apps:&lt;appId&gt;:Push</c> (validated at
    /// start), <see cref="PushSenders"/>, <see cref="PushDelivery"/>, and a start-up line per app saying how it
    /// sends. An app or platform without credentials uses the <see cref="LogSender"/>.
    /// </summary>
    public static IServiceCollection AddSegmentsPush(this IServiceCollection services, IConfiguration configuration)
    {
        var apps = configuration.GetSection("Segments:Apps").GetChildren().ToList();
        foreach (var app in apps)
        {
            services.AddOptions<AppPushOptions>(app.Key).Bind(app.GetSection("Push")).ValidateOnStart();
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AppPushOptions>, AppPushOptionsValidator>());
        services.AddOptions<PushTransportOptions>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<PushSenders>();
        services.TryAddSingleton<PushDelivery>();
        services.AddHostedService(sp => new PushStartupReport(apps.Select(a => a.Key).ToArray(),
            sp.GetRequiredService<IOptionsMonitor<AppPushOptions>>(), sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<PushStartupReport>>()));
        return services;
    }
}
