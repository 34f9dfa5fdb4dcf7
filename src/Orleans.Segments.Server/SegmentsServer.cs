using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Orleans.Dashboard;
using Orleans.Segments.Domain.Ingestion;
using Orleans.Segments.Hosting;
using Orleans.Segments.Server.Apis;
using Orleans.Segments.Server.Apps;
using Orleans.Segments.Server.Console;
using Orleans.Segments.Server.Demo;
using Orleans.Segments.Server.Hosting;
using Orleans.Segments.Server.Ingestion;
using Scalar.AspNetCore;

namespace Orleans.Segments.Server;

/// <summary>Builds the server in its role (silo and HTTP API, silo only, or gateway only). Tests build it the same way.</summary>
public static class SegmentsServer
{
    public static WebApplicationBuilder CreateBuilder(string[] args)
    {
        var builder = WebApplication.CreateBuilder(NormalizeSwitches(args));
        var configuration = builder.Configuration;
        var services = builder.Services;

        services.AddOptions<ServerOptions>().Bind(configuration.GetSection("Segments:Server"))
            .Validate(o => o.OperatorKey is null || o.OperatorKey.Length >= 16, "Segments:Server:OperatorKey must be at least 16 characters.")
            .Validate(o => o.MemoryCeilingMegabytes is null or >= 64, "Segments:Server:MemoryCeilingMegabytes must be at least 64.")
            .Validate(o => o.StuckRequestsAfter >= TimeSpan.FromSeconds(1), "Segments:Server:StuckRequestsAfter must be at least 1 second.")
            .ValidateOnStart();
        services.AddOptions<IngestionLimits>().Bind(configuration.GetSection("Segments:Ingestion"));
        var server = configuration.GetSection("Segments:Server").Get<ServerOptions>() ?? new ServerOptions();

        // Why: the embedded default must work with nothing configured, so it serves a "demo" app.
        services.PostConfigure<SegmentsOptions>(o =>
        {
            if (o.Apps.Count == 0) o.Apps["demo"] = new AppOptions();
            if (server.Demo && configuration["Segments:Wakeups:BucketWidth"] is null)
            {
                // Why: the demo shows time-driven stage changes within a minute, so it wakes users more often.
                o.Wakeups.BucketWidth = TimeSpan.FromSeconds(10);
                o.Wakeups.TickInterval = TimeSpan.FromSeconds(2);
            }
        });

        // Why: a wrong storage setting must stop the process at once with its name in the message, before
        // Orleans starts retrying against it; so it is parsed here and reached before Orleans starts.
        services.AddOptions<RedisOptions>().Bind(configuration.GetSection(RedisOptions.Section));
        services.AddOptions<AzureStorageOptions>().Bind(configuration.GetSection(AzureStorageOptions.Section));
        var redis = configuration.GetSection(RedisOptions.Section).Get<RedisOptions>() ?? new RedisOptions();
        var azure = configuration.GetSection(AzureStorageOptions.Section).Get<AzureStorageOptions>() ?? new AzureStorageOptions();
        var backend = StorageBackend.Choose(redis, azure);
        if (redis.Enabled)
        {
            RedisHosting.Parse(redis.ConnectionString!);
            services.AddHostedService<RedisStartupCheck>();
        }

        if (azure.Enabled)
        {
            AzureStorageHosting.Clients(azure);
            services.AddHostedService<AzureStorageStartupCheck>();
        }

        services.AddSingleton(backend);
        if (server.Role == ServerRole.Gateway)
        {
            if (backend.Kind == StorageKind.Embedded)
            {
                throw new OptionsValidationException("Segments:Server", typeof(ServerOptions),
                    ["Segments:Server:Role=gateway needs Segments:Redis:ConnectionString or Segments:AzureStorage: a gateway finds the silos through the shared membership table."]);
            }

            services.AddOptions<SegmentsOptions>().Bind(configuration.GetSection(SegmentsOptions.Section));
            builder.UseOrleansClient(client => client.ConfigureSegmentsClient(configuration, backend));
        }
        else
        {
            builder.UseOrleans(silo => silo.ConfigureSegmentsSilo(configuration, server, backend));
        }

        services.TryAddTimeProvider();
        services.AddSingleton<GeneratedKeys>();
        services.AddSingleton<AppCatalog>();
        services.AddSingleton<AdminAuthFilter>();
        services.AddSingleton<OperatorAuth>();
        services.AddSegmentsTelemetry();
        services.AddSegmentsRateLimiting(configuration);
        services.AddSingleton<EventRouter>();
        services.AddSingleton<IngestHandler>();
        services.AddSingleton<Application.SegmentService>();
        services.AddSingleton<Application.CampaignService>();
        services.AddSingleton<Application.JourneyService>();
        services.AddSingleton<Application.UserService>();
        services.AddSingleton<Application.GeofenceService>();
        services.AddSingleton<Application.WebhookService>();
        services.AddSingleton<Application.OverviewService>();
        services.AddSingleton<WriteKeyLimiter>();
        services.AddSingleton<IngestActivity>();
        services.AddHostedService(sp => sp.GetRequiredService<IngestActivity>());
        services.AddSingleton<RequestWatch>();
        services.AddHostedService<StartupBanner>();
        services.AddSingleton<IdAudit>();
        services.AddHostedService(sp => sp.GetRequiredService<IdAudit>());
        if (server.Demo && server.Role != ServerRole.Silo) services.AddHostedService<DemoTraffic>();

        services.AddRazorPages(o =>
            {
                o.RootDirectory = "/Console";
                o.Conventions.AuthorizeFolder("/", ConsoleAuth.Policy);
            })
            .AddApplicationPart(typeof(SegmentsServer).Assembly);
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "segments-console-antiforgery";
            o.Cookie.Path = "/console";
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        services.AddConsoleAuth();
        services.AddSharedConsoleKeys(backend);
        services.AddSingleton<PendingForms>();
        services.AddSingleton<SignInThrottle>();
        services.AddProblemDetails();
        services.AddExceptionHandler<EngineExceptionHandler>();
        services.AddHealthChecks().AddCheck<ReadinessCheck>("grains", tags: ["ready"]);
        // Why: the contracts read numbers only as numbers; the document, written with these options, must say so
        // (the web defaults would declare every number field as "number or string").
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict);
        services.AddOpenApi(o => o.AddSegmentsDocument());
        services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(k => k.Limits.MaxRequestBodySize = 1024 * 1024);
        return builder;
    }

    /// <summary>Maps every endpoint: the table of contents of the HTTP API.</summary>
    public static WebApplication MapSegments(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<ServerOptions>>().Value.TrustForwardedHeaders)
        {
            var forwarded = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedFor };

            // Why: the operator said every request passes the proxy, whose address is not known in advance.
            forwarded.KnownIPNetworks.Clear();
            forwarded.KnownProxies.Clear();
            app.UseForwardedHeaders(forwarded);
        }

        app.Use(app.Services.GetRequiredService<RequestWatch>().Track);
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.Use(ConsoleSecurity.Headers);
        app.Use(IngestCors.Preflight);
        app.Use(OperatorAuth.Guard);
        app.Use(DashboardGuard.Validate);
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();

        // Why: a silo-only process serves grains to gateways; over HTTP it answers only operators.
        if (app.Services.GetRequiredService<IOptions<ServerOptions>>().Value.Role != ServerRole.Silo)
        {
            app.MapTrackingApi();
            app.MapSdkSettingsApi();
            app.MapUsersApi();
            app.MapSegmentsApi();
            app.MapGeofencesApi();
            app.MapMessagesApi();
            app.MapCampaignsApi();
            app.MapJourneysApi();
            app.MapLiveActivitiesApi();
            app.MapTestSendsApi();
            app.MapWebhooksApi();
            app.MapImportsApi();
            app.MapRazorPages();
            app.MapConsoleAssets();
        }

        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready"), ResponseWriter = WriteReadiness });
        app.MapOpenApi();
        // Why: the machines running the server may have no internet; Scalar would fetch fonts and report telemetry.
        app.MapScalarApiReference(o => o.WithTitle("Orleans.Segments API").DisableDefaultFonts().DisableTelemetry().DisableAgent().DisableMcp()
            .HideDeveloperTools().ShowOperationId());
        app.MapOrleansDashboard("/dashboard");
        app.MapSegmentsMetrics();
        app.MapGet("/", () => Results.Redirect("/console")).ExcludeFromDescription();
        return app;
    }

    /// <summary>"Healthy", or "Unhealthy: " and every failing check's reason, for an operator reading the probe.</summary>
    private static Task WriteReadiness(HttpContext http, Microsoft.Extensions.Diagnostics.HealthChecks.HealthReport report)
    {
        http.Response.ContentType = "text/plain; charset=utf-8";
        var failing = report.Entries.Values.Where(e => e.Status != Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy).Select(e => e.Description);
        return http.Response.WriteAsync(report.Status == Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy
            ? "Healthy"
            : $"{report.Status}: {string.Join(" ", failing)}");
    }

    /// <summary>Turns bare switches such as <c>--demo</c> into configuration the command-line provider reads.</summary>
    private static string[] NormalizeSwitches(string[] args) =>
        args.Select(a => a == "--demo" ? "--Segments:Server:Demo=true" : a).ToArray();

    private static void TryAddTimeProvider(this IServiceCollection services)
    {
        if (services.All(s => s.ServiceType != typeof(TimeProvider))) services.AddSingleton(TimeProvider.System);
    }
}
