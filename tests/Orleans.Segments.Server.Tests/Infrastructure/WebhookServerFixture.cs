namespace Orleans.Segments.Server.Tests.Infrastructure;

/// <summary>
/// A server of its own for the webhook tests, which move its clock forward to reach retries and the 24-hour
/// give-up; its receivers get one second to answer (real time), so a slow receiver costs a test seconds, not tens.
/// </summary>
public sealed class WebhookServerFixture : ServerFixture
{
    protected override IEnumerable<string> ExtraArguments =>
    [
        "--Segments:Webhooks:Timeout=00:00:01",
        "--Segments:Webhooks:BatchSize=7",
        "--Segments:Webhooks:Retry:FirstRetryAfter=00:00:01",
        "--Segments:Webhooks:Retry:MaxRetryInterval=00:01:00",

        // Why: these tests move the clock on by hours; a push must not be held because the clock reached the night.
        $"--Segments:Apps:{TestApps.Shop.Id}:QuietHours:Enabled=false",
    ];
}
