using System.Diagnostics;
using System.Net.Http.Headers;
using Microsoft.Extensions.Options;
using Orleans.Segments.Domain.Webhooks;
using Orleans.Segments.Hosting;

namespace Orleans.Segments.Webhooks;

/// <summary>
/// Posts signed batches to webhook receivers: one pooled HTTP client for the silo, no redirects followed (a
/// receiver that moved is a failure the operator should see, and a redirect could lead the signed body elsewhere),
/// each attempt bounded by <see cref="WebhookOptions.Timeout"/>.
/// </summary>
public sealed class WebhookSender(TimeProvider time, IOptionsMonitor<SegmentsOptions> options) : IDisposable
{
    public const string WebhookIdHeader = "Segments-Webhook-Id";
    public const string BatchIdHeader = "Segments-Batch-Id";

    private readonly HttpClient http = new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        ConnectTimeout = TimeSpan.FromSeconds(10),
    })
    {
        Timeout = System.Threading.Timeout.InfiniteTimeSpan,
        DefaultRequestHeaders = { UserAgent = { new ProductInfoHeaderValue("Orleans.Segments-Webhooks", "1") } },
    };

    public async Task<WebhookAttempt> PostAsync(string url, string secret, string appId, string webhookId, string batchId, IReadOnlyList<WebhookEvent> events)
    {
        byte[] body = WebhookBatchJson.Write(appId, webhookId, batchId, events);
        var timeout = options.CurrentValue.Webhooks.Timeout;
        long started = Stopwatch.GetTimestamp();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            request.Headers.TryAddWithoutValidation(WebhookSignature.Header, WebhookSignature.Sign(secret, time.GetUtcNow(), body));
            request.Headers.TryAddWithoutValidation(WebhookIdHeader, webhookId);
            request.Headers.TryAddWithoutValidation(BatchIdHeader, batchId);
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancel.Token);
            int status = (int)response.StatusCode;
            bool ok = status is >= 200 and < 300;
            return new WebhookAttempt(ok, status, Stopwatch.GetElapsedTime(started), ok ? null : $"the receiver answered {status} {response.ReasonPhrase}".TrimEnd());
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            return new WebhookAttempt(false, null, Stopwatch.GetElapsedTime(started), $"no answer within {timeout.TotalSeconds:0.###} s");
        }
        catch (HttpRequestException ex)
        {
            return new WebhookAttempt(false, null, Stopwatch.GetElapsedTime(started), $"could not reach the receiver: {ex.HttpRequestError} ({ex.Message})");
        }
    }

    public void Dispose() => http.Dispose();
}
