using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Orleans.Segments.Server.Tests.Infrastructure;

/// <summary>What a receiver does with the next request: answer a status now, or answer 200 only after a delay.</summary>
public sealed record ReceiverAnswer(int Status, TimeSpan Delay)
{
    public static ReceiverAnswer Ok { get; } = new(200, TimeSpan.Zero);

    public static ReceiverAnswer Fail(int status = 500) => new(status, TimeSpan.Zero);

    public static ReceiverAnswer Slow(TimeSpan delay) => new(200, delay);
}

/// <summary>A request the receiver got: its raw body, signature header, and what it answered.</summary>
public sealed record ReceivedRequest(int Index, byte[] Body, string? Signature, string? WebhookId, string? BatchId, ReceiverAnswer Answer)
{
    /// <summary>The batch's events, if the receiver took it (answered 2xx); a failed request's events do not count as received.</summary>
    public JsonArray Events => JsonNode.Parse(Body)!["events"]!.AsArray();
}

/// <summary>
/// A webhook receiver on real HTTP (Kestrel on a free loopback port), as a customer's endpoint: it records every
/// request as it came, and answers as scripted (failures, slow answers), then 200 once the script is used up.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentQueue<ReceiverAnswer> script = new();
    private readonly ConcurrentQueue<ReceivedRequest> requests = new();
    private int count;

    /// <summary>Completed (and replaced) each time a request is recorded: what <see cref="WaitForAsync"/> waits on.</summary>
    private TaskCompletionSource recorded = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private WebhookReceiver(WebApplication app) => this.app = app;

    public string Url => app.Urls.Single().TrimEnd('/') + "/hook";

    public IReadOnlyList<ReceivedRequest> Requests => [.. requests.OrderBy(r => r.Index)];

    /// <summary>Whatever answers are scripted after the current ones are used.</summary>
    public ReceiverAnswer Otherwise { get; set; } = ReceiverAnswer.Ok;

    public void Then(params ReceiverAnswer[] answers)
    {
        foreach (var answer in answers) script.Enqueue(answer);
    }

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/hook", (Func<HttpContext, Task<IResult>>)receiver.Receive);
        await app.StartAsync();
        return receiver;
    }

    private async Task<IResult> Receive(HttpContext http)
    {
        using var body = new MemoryStream();
        await http.Request.Body.CopyToAsync(body);
        var answer = script.TryDequeue(out var scripted) ? scripted : Otherwise;
        int index = Interlocked.Increment(ref count);

        // Why: a slow receiver really is slow (real time, bounded): the server gives up before it answers, and
        // the request counts as failed there although it arrived here.
        if (answer.Delay > TimeSpan.Zero) await Task.Delay(answer.Delay);
        requests.Enqueue(new ReceivedRequest(index, body.ToArray(), http.Request.Headers["Segments-Signature"].FirstOrDefault(),
            http.Request.Headers["Segments-Webhook-Id"].FirstOrDefault(), http.Request.Headers["Segments-Batch-Id"].FirstOrDefault(), answer));
        Interlocked.Exchange(ref recorded, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        return Results.StatusCode(answer.Status);
    }

    /// <summary>Waits, request by request, until the requests recorded satisfy <paramref name="condition"/>; fails after <paramref name="bound"/>.</summary>
    public async Task WaitForAsync(Func<IReadOnlyList<ReceivedRequest>, bool> condition, TimeSpan bound, string what)
    {
        using var deadline = new CancellationTokenSource(bound);
        while (true)
        {
            var next = Volatile.Read(ref recorded).Task;
            if (condition(Requests)) return;
            try
            {
                await next.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"The receiver did not get {what} within {bound.TotalSeconds:0} s; it got {Requests.Count} requests.");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
