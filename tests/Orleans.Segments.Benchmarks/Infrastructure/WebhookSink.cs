using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Orleans.Segments.Webhooks;

namespace Orleans.Segments.Benchmarks.Infrastructure;

/// <summary>
/// A webhook receiver for <c>--webhook</c> runs: Kestrel on a loopback port answering 200 to every batch, counting
/// the events it got, and the app's webhook (every event type) pointing at it. It shares the machine's cores with
/// the engine, as a receiver on the same host would.
/// </summary>
public sealed class WebhookSink : IAsyncDisposable
{
    private static readonly byte[] EventStart = Encoding.UTF8.GetBytes("{\"id\":");
    private readonly WebApplication app;
    private long events;
    private long requests;

    private WebhookSink(WebApplication app) => this.app = app;

    public long Events => Interlocked.Read(ref events);

    public long Requests => Interlocked.Read(ref requests);

    public static async Task<WebhookSink> StartAsync(IGrainFactory grains, string appId)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var sink = new WebhookSink(app);
        app.MapPost("/hook", (Func<HttpContext, Task<IResult>>)sink.Receive);
        await app.StartAsync();
        string url = app.Urls.Single().TrimEnd('/') + "/hook";
        await grains.GetGrain<IWebhookRegistryGrain>(appId).Put(new WebhookSettings("bench", url, [], true, "benchmark sink"));
        return sink;
    }

    private async Task<IResult> Receive(HttpContext http)
    {
        using var body = new MemoryStream();
        await http.Request.Body.CopyToAsync(body);
        int count = 0;
        var span = body.GetBuffer().AsSpan(0, (int)body.Length);
        for (int at = span.IndexOf(EventStart); at >= 0; at = span.IndexOf(EventStart))
        {
            count++;
            span = span[(at + EventStart.Length)..];
        }

        Interlocked.Add(ref events, count);
        Interlocked.Increment(ref requests);
        return Results.Ok();
    }

    /// <summary>Waits (bounded) until the sink has at least <paramref name="expected"/> events; returns how long it took.</summary>
    public async Task<TimeSpan?> DrainedAsync(long expected, TimeSpan bound)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (Events < expected)
        {
            if (clock.Elapsed > bound) return null;
            await Task.Delay(50);
        }

        return clock.Elapsed;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
