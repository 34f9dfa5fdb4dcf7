using Orleans.Segments.Domain.Events;
using Orleans.Segments.Domain.Ingestion;
using Orleans.Segments.Users;

namespace Orleans.Segments.Server.Ingestion;

/// <summary>
/// Hands parsed messages to their users' grains: one call per user per request, all users in parallel, and
/// returns only when every grain has persisted its events, which is when the gateway may acknowledge them.
/// </summary>
public sealed class EventRouter(IGrainFactory grains)
{
    public async Task<IngestSummary> RouteAsync(string appId, IReadOnlyList<ParsedMessage> messages)
    {
        if (messages.Count == 1)
        {
            var only = messages[0];
            var receipt = await Grain(appId, only.User).Ingest([only.Event]);
            return new IngestSummary(1, receipt.Applied, receipt.Duplicates);
        }

        // Why: events of one user stay in request order within one call, so the grain applies them in one turn.
        var byUser = new Dictionary<UserRef, List<UserEvent>>();
        foreach (var message in messages)
        {
            if (!byUser.TryGetValue(message.User, out var list)) byUser[message.User] = list = [];
            list.Add(message.Event);
        }

        var calls = new Task<IngestReceipt>[byUser.Count];
        int i = 0;
        foreach (var (user, events) in byUser) calls[i++] = Grain(appId, user).Ingest(events.ToArray());
        var receipts = await Task.WhenAll(calls);
        return new IngestSummary(byUser.Count, receipts.Sum(r => r.Applied), receipts.Sum(r => r.Duplicates));
    }

    private IUserGrain Grain(string appId, UserRef user) =>
        grains.User(new UserKey(appId, user));
}

/// <summary>What one ingest request did.</summary>
public readonly record struct IngestSummary(int Users, int Applied, int Duplicates);
