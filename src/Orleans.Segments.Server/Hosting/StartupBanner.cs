using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using Orleans.Segments.Hosting;
using Orleans.Segments.Server.Apps;

namespace Orleans.Segments.Server.Hosting;

/// <summary>Says loudly, once the server listens, how it runs and which keys were generated.</summary>
public sealed partial class StartupBanner(
    IHostApplicationLifetime lifetime,
    AppCatalog catalog,
    GeneratedKeys generated,
    IOptions<ServerOptions> server,
    StorageBackend backend,
    IServer web,
    ILogger<StartupBanner> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() =>
        {
            if (backend.Kind == StorageKind.Embedded)
            {
                LogEmbedded();
            }
            else
            {
                LogProduction(server.Value.Role.ToString().ToLowerInvariant(), backend.Kind == StorageKind.Redis ? "Redis" : "Azure Storage (Table membership and reminders, Blob grain state)");
            }

            foreach (string appId in catalog.AppIds) LogApp(appId);

            string? console = ConsoleUrl();
            bool demo = server.Value.Demo && console is not null && catalog.AppIds.Contains("demo");

            // Why: generated keys are the only way in when none are configured; they are shown once, never stored.
            foreach (var ((appId, role), key) in generated.All)
            {
                if (demo && appId == "demo" && role == KeyRole.Admin) continue;
                LogGeneratedKey(appId, role.ToString(), key);
            }

            if (demo && generated.All.TryGetValue(("demo", KeyRole.Admin), out string? demoKey)) LogDemoConsole(console!, demoKey);
            else if (console is not null) LogConsole(console);
            if (server.Value.OperatorKey is null) LogGeneratedOperatorKey(generated.Operator);
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The console's address on the first address the server listens on (none for a silo without HTTP).</summary>
    private string? ConsoleUrl()
    {
        if (server.Value.Role == ServerRole.Silo) return null;
        string? address = web.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        if (address is null) return null;
        return address.Replace("://127.0.0.1:", "://localhost:").Replace("://[::]:", "://localhost:").Replace("://0.0.0.0:", "://localhost:").Replace("://+:", "://localhost:").Replace("://*:", "://localhost:").TrimEnd('/') + "/console";
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message =
        "EMBEDDED MODE: one process, localhost clustering, IN-MEMORY storage (all data is lost on exit); pushes go to the log " +
        "sender unless an app configures APNs/FCM credentials. Configure Segments:Redis or Segments:AzureStorage for production.")]
    private partial void LogEmbedded();

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Running as {Role}: clustering, grain state and reminders in {Backend}; memory streams")]
    private partial void LogProduction(string role, string backend);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Serving app {AppId}")]
    private partial void LogApp(string appId);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Generated {Role} key for app {AppId}: {Key} (configure Segments:Apps:<appId>:WriteKey and AdminKey to keep keys across restarts)")]
    private partial void LogGeneratedKey(string appId, string role, string key);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning, Message = "DEMO: open the console at {Url} and sign in with the admin key of app demo: {Key}")]
    private partial void LogDemoConsole(string url, string key);

    [LoggerMessage(EventId = 7, Level = LogLevel.Information, Message = "Console at {Url}: sign in with an app's admin key")]
    private partial void LogConsole(string url);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "Generated operator key for /dashboard and /metrics: {Key} (configure Segments:Server:OperatorKey to keep it across restarts)")]
    private partial void LogGeneratedOperatorKey(string key);
}
