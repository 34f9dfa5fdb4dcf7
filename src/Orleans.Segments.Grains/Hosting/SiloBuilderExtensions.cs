using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Segments.Wakeups;
using Orleans.Storage;

namespace Orleans.Segments.Hosting;

public static class SiloBuilderExtensions
{
    /// <summary>
    /// Adds the engine's grains' services: options bound from <paramref name="configuration"/> (validated at
    /// start), the system clock unless one is registered, the binary grain-state serializer, and the start-up of
    /// the wake-up service. Push delivery is added unless the host added it. Storage
    /// (<see cref="SegmentsStorage.Name"/>) and reminders are the host's choice.
    /// </summary>
    /// <summary>
    /// The configuration binder adds configured list items to a list's defaults; an app that configures its
    /// marketing caps means those caps, not the defaults plus them.
    /// </summary>
    private static void ReplaceConfiguredCaps(SegmentsOptions options, IConfiguration configuration)
    {
        foreach (var (appId, app) in options.Apps)
        {
            var caps = configuration.GetSection($"{SegmentsOptions.Section}:Apps:{appId}:Caps:Marketing");
            if (caps.Exists()) app.Caps.Marketing = caps.Get<List<Domain.Campaigns.CapRule>>() ?? [];
        }
    }

    public static ISiloBuilder AddSegments(this ISiloBuilder builder, IConfiguration configuration)
    {
        builder.Services.AddOptions<SegmentsOptions>().Bind(configuration.GetSection(SegmentsOptions.Section))
            .PostConfigure(options => ReplaceConfiguredCaps(options, configuration))
            .ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SegmentsOptions>, SegmentsOptionsValidator>());
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton<Segments.AppModelCache>();
        builder.Services.TryAddSingleton<Campaigns.CampaignCache>();
        builder.Services.TryAddSingleton<Journeys.JourneyCache>();
        builder.Services.TryAddSingleton<Campaigns.TemplateBudget>();
        builder.Services.TryAddSingleton<Webhooks.WebhookCache>();
        builder.Services.TryAddSingleton<Webhooks.WebhookSender>();
        builder.Services.TryAddSingleton<Webhooks.WebhookHandOver>();
        builder.Services.TryAddSingleton<SegmentsMetrics>();

        // Why: user grains hand reserved messages to APNs/FCM themselves (see UserGrain.Messages).
        if (builder.Services.All(s => s.ServiceType != typeof(Push.PushSenders))) Push.Hosting.PushServiceCollectionExtensions.AddSegmentsPush(builder.Services, configuration);

        // Why: the last registration is the one providers resolve, replacing Orleans' Newtonsoft default for
        // every storage provider of the silo (Redis and memory alike).
        builder.Services.AddSingleton<IGrainStorageSerializer>(SegmentsStorageSerializer.Create);
        builder.AddStartupTask<WakeupStartupTask>();
        return builder;
    }
}
