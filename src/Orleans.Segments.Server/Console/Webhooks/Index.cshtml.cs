using Microsoft.AspNetCore.Mvc.RazorPages;
using Orleans.Segments.Server.Application;

namespace Orleans.Segments.Server.Console.Webhooks;

/// <summary>The app's webhooks: where each streams, which events, and how its delivery stands.</summary>
public sealed class IndexModel(WebhookService webhooks) : PageModel
{
    public IReadOnlyList<WebhookState> Webhooks { get; private set; } = [];

    public async Task OnGetAsync() => Webhooks = await webhooks.ListAsync(ConsoleAuth.AppId(HttpContext));

    /// <summary>One line on how delivery stands: failing (since when, why), waiting, or fine.</summary>
    public static string Health(WebhookState w)
    {
        var b = w.Backlog;
        if (!w.Webhook.Settings.Enabled) return b.Pending > 0 ? $"disabled; {Shared.Format.Number(b.Pending)} events kept" : "disabled";
        if (b.FailuresInARow > 0) return $"failing since {b.FailingSince:yyyy-MM-dd HH:mm} UTC ({b.FailuresInARow} attempts): {b.LastError}";
        if (b.Pending > 0) return $"{Shared.Format.Number(b.Pending)} events on their way";
        return b.LastDeliveredAt is { } at ? $"up to date (last batch {at:yyyy-MM-dd HH:mm:ss} UTC)" : "nothing sent yet";
    }
}
