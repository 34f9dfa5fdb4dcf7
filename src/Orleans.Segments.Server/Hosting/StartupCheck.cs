namespace Orleans.Segments.Server.Hosting;

/// <summary>
/// A check of a durable backend that fails start-up at once with a message naming the setting. It runs in the
/// "starting" phase, where Orleans starts its silo or client; registered before Orleans, it runs first.
/// </summary>
public abstract class StartupCheck : IHostedLifecycleService
{
    public abstract Task StartingAsync(CancellationToken cancellationToken);

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The first line of a client library's message, for an error that fits a log line.</summary>
    protected static string FirstLine(string text) => text.Split('\n')[0].Trim();
}
