using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Segments.Domain.Webhooks;
using Orleans.Segments.Hosting;

namespace Orleans.Segments.Webhooks;

/// <summary>
/// One shard of a webhook's queue. New events are appended to <see cref="WebhookQueueState.Tail"/> and stored
/// before <see cref="IWebhookQueueGrain.Enqueue"/> returns (one write for every enqueue that arrived meanwhile).
/// The queue's record holds counters and page numbers only (dead letters are a record of their own), and
/// the tail is kept short: every <see cref="PageSize"/> events (or when the oldest has waited the linger) it is
/// sealed into a page (<see cref="IWebhookPageGrain"/>, written once), so an enqueue costs a write of what changed,
/// not of the backlog. Delivery posts the oldest pages, several to a batch, and moves past them only when the
/// receiver answered 2xx: a user's events (always in the same shard) arrive in the order they happened, at least
/// once.
/// </summary>
public sealed partial class WebhookQueueGrain(
    [PersistentState("webhookQueue", SegmentsStorage.Name)] IPersistentState<WebhookQueueState> queue,
    [PersistentState("webhookDeadLetters", SegmentsStorage.Name)] IPersistentState<WebhookDeadLetterState> deadLetters,
    WebhookSender sender,
    TimeProvider time,
    IOptionsMonitor<SegmentsOptions> options,
    SegmentsMetrics metrics,
    ILogger<WebhookQueueGrain> logger) : Grain, IWebhookQueueGrain, IRemindable
{
    /// <summary>Shards per webhook: the deliveries that run side by side for one receiver.</summary>
    public const int Shards = 8;

    /// <summary>
    /// The most events a sealed page holds (fewer when the batch size is smaller): the most the queue's own
    /// record carries unsealed, so an enqueue's write stays small.
    /// </summary>
    public const int MaxPageSize = 50;

    /// <summary>The most pages one request carries.</summary>
    private const int MaxPagesPerBatch = 64;

    /// <summary>The most dead letters kept per shard; the oldest are dropped (and counted) beyond.</summary>
    public const int MaxDeadLetters = 1000;

    private const string ReminderName = "webhook";

    /// <summary>How often the queue looks at its backlog while it has one.</summary>
    private static readonly TimeSpan TickPeriod = TimeSpan.FromMilliseconds(200);

    /// <summary>How long one tick goes on delivering before it lets the queue's other calls run.</summary>
    private static readonly TimeSpan TickBudget = TimeSpan.FromSeconds(2);

    private IGrainTimer? timer;
    private bool ticking;

    /// <summary>True while the tail's head is being written into a page (by an enqueue or by the tick; one at a time).</summary>
    private bool sealing;

    /// <summary>Whether this activation registered the reminder that brings the queue back after a restart.</summary>
    private bool reminderSet;
    private Task? writing;
    private Task? nextWrite;

    /// <summary>The queued pages read so far (the head's), by number.</summary>
    private readonly Dictionary<long, WebhookEvent[]> pages = [];

    /// <summary>Since when the tail's first event has waited to be sealed (the linger), in this activation.</summary>
    private DateTimeOffset? tailSince;

    public static string Key(string appId, string webhookId, int shard) => $"{appId}/{webhookId}/{shard}";

    public static int ShardOf(string userGrainKey) =>
        (int)(System.IO.Hashing.XxHash32.HashToUInt32(System.Text.Encoding.UTF8.GetBytes(userGrainKey)) % Shards);

    private string AppId => this.GetPrimaryKeyString().Split('/')[0];

    private string WebhookId => this.GetPrimaryKeyString().Split('/')[1];

    private int ShardNumber => int.Parse(this.GetPrimaryKeyString().Split('/')[2], System.Globalization.CultureInfo.InvariantCulture);

    private WebhookOptions Options => options.CurrentValue.Webhooks;

    private int PageSize => Math.Min(MaxPageSize, Options.BatchSize);

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (HasBacklog) StartTimer();
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // Why: a silo shutting down cannot reach the reminder table any more; the reminder then wakes the empty
        // queue once, which removes it.
        if (HasBacklog || reason.ReasonCode == DeactivationReasonCode.ShuttingDown) return;
        try
        {
            if (await this.GetReminder(ReminderName) is { } reminder) await this.UnregisterReminder(reminder);
        }
        catch (Exception)
        {
            // Why: a reminder left behind only wakes an empty queue, which then removes it.
        }
    }

    private bool HasBacklog => queue.State.Tail.Count > 0 || queue.State.HeadPage < queue.State.NextPage;

    private long Pending => queue.State.Tail.Count + queue.State.PagedEvents;

    private List<WebhookDeadLetter> Letters => deadLetters.State.Letters;

    async Task IWebhookQueueGrain.Enqueue(WebhookEvent[] events)
    {
        var s = queue.State;
        if (events.Length == 0) return;
        long room = Options.MaxBacklogPerShard - Pending;
        if (room < events.Length)
        {
            int dropped = (int)Math.Min(events.Length, Math.Max(0, events.Length - room));
            s.Dropped += dropped;
            metrics.WebhookEvents(AppId, "dropped", dropped);
            LogBacklogFull(AppId, WebhookId, dropped);
            events = events[..(events.Length - dropped)];
        }

        if (events.Length > 0)
        {
            if (s.Tail.Count == 0) tailSince = time.GetUtcNow();
            s.Tail.AddRange(events);
            while (s.Tail.Count >= PageSize && !sealing) await Seal(PageSize);
        }

        await Save();
        if (events.Length == 0) return;
        StartTimer();
        if (!reminderSet)
        {
            // Why: once per activation, not per drain: a backlog stored by a silo that then dies is picked up by
            // the reminder; it is removed when the queue deactivates empty.
            reminderSet = true;
            try
            {
                await this.RegisterOrUpdateReminder(ReminderName, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
            }
            catch (Exception ex)
            {
                // Why: the events are stored; failing the enqueue would only make the user hand them over again.
                reminderSet = false;
                LogReminderFailed(AppId, WebhookId, ex);
            }
        }
    }

    async Task<WebhookQueueStatus> IWebhookQueueGrain.GetStatus()
    {
        var s = queue.State;
        DateTime? oldest = s.Tail.Count > 0 ? s.Tail[0].At : null;
        if (s.HeadPage < s.NextPage)
        {
            long head = s.HeadPage;
            if (!pages.TryGetValue(head, out var events)) events = await Page(head).Get();
            if (events.Length > 0) oldest = events[0].At;
        }

        return new WebhookQueueStatus(Pending, oldest, s.Delivered, s.Attempts, s.FailedAttempts, s.FailuresInARow,
            s.FailingSince, s.NextAttemptAt, s.LastError, s.LastDeliveredAt, s.DeadLettered, s.Dropped);
    }

    Task IWebhookQueueGrain.Deliver() => Tick();

    Task<WebhookDeadLetter[]> IWebhookQueueGrain.GetDeadLetters() => Task.FromResult(Letters.ToArray());

    async Task<WebhookEvent[]?> IWebhookQueueGrain.GetDeadLetterEvents(string deadLetterId)
    {
        var letter = Letters.Find(d => d.Id == deadLetterId);
        return letter is null ? null : await Page(letter.Page).Get();
    }

    async Task<bool> IWebhookQueueGrain.Redeliver(string deadLetterId)
    {
        var s = queue.State;
        var letter = Letters.Find(d => d.Id == deadLetterId);
        if (letter is null) return false;
        var events = await Page(letter.Page).Get();
        if (s.Tail.Count == 0) tailSince = time.GetUtcNow();
        s.Tail.AddRange(events);
        await Save();

        // Why: the events are queued again first; a stop before the letter's removal leaves a copy (at least once).
        Letters.Remove(letter);
        await deadLetters.WriteStateAsync();
        await Page(letter.Page).Clear();
        StartTimer();
        return true;
    }

    async Task IWebhookQueueGrain.Discard()
    {
        var s = queue.State;
        var queued = Enumerable.Range(0, (int)Math.Min(int.MaxValue, s.NextPage - s.HeadPage)).Select(i => s.HeadPage + i)
            .Concat(Letters.Select(d => d.Page)).ToList();
        await Task.WhenAll(queued.Select(p => Page(p).Clear()));
        timer?.Dispose();
        timer = null;
        pages.Clear();
        await queue.ClearStateAsync();
        queue.State = new WebhookQueueState();
        await deadLetters.ClearStateAsync();
        deadLetters.State = new WebhookDeadLetterState();
        DeactivateOnIdle();
    }

    // Why: the reminder only brings the queue back after a restart; its timer does the work.
    async Task IRemindable.ReceiveReminder(string reminderName, TickStatus status)
    {
        if (HasBacklog)
        {
            StartTimer();
            return;
        }

        if (await this.GetReminder(ReminderName) is { } reminder) await this.UnregisterReminder(reminder);
    }

    private IWebhookPageGrain Page(long page) => GrainFactory.GetGrain<IWebhookPageGrain>($"{this.GetPrimaryKeyString()}/{page}");

    private void StartTimer() =>
        timer ??= this.RegisterGrainTimer(static (self, _) => self.Tick(), this, new GrainTimerCreationOptions(TimeSpan.Zero, TickPeriod) { KeepAlive = true });

    /// <summary>
    /// Writes the tail's first <paramref name="count"/> events into the next page and takes them off the tail
    /// (the caller's write then records it). Enqueues only append to the tail, so its head is stable meanwhile;
    /// a crash before that write leaves the events in the stored tail, sealed again into the same page number.
    /// </summary>
    private async Task Seal(int count)
    {
        var s = queue.State;
        sealing = true;
        try
        {
            var events = s.Tail.GetRange(0, count).ToArray();
            long page = s.NextPage;
            await Page(page).Put(events);
            s.Tail.RemoveRange(0, count);
            s.NextPage = page + 1;
            s.PagedEvents += count;
            // Why: only pages near the head are kept in memory; a long backlog stays in storage until its turn.
            if (page - s.HeadPage < MaxPagesPerBatch) pages[page] = events;
            tailSince = s.Tail.Count > 0 ? time.GetUtcNow() : null;
        }
        finally
        {
            sealing = false;
        }
    }

    /// <summary>
    /// Seals a tail that waited the linger (or any tail while the receiver fails, so retries carry it), then
    /// delivers batches until the queue is empty, an attempt fails, a retry is not due yet, or the tick's time is up.
    /// Only this tick takes pages off the queue's head; enqueues only append.
    /// </summary>
    private async Task Tick()
    {
        if (ticking) return;
        ticking = true;
        try
        {
            var s = queue.State;
            if (s.Tail.Count > 0 && !sealing && time.GetUtcNow() - (tailSince ??= time.GetUtcNow()) >= Options.Linger)
            {
                await Seal(s.Tail.Count);
                await Save();
            }

            long started = System.Diagnostics.Stopwatch.GetTimestamp();
            while (s.HeadPage < s.NextPage && !(s.NextAttemptAt > Now) && System.Diagnostics.Stopwatch.GetElapsedTime(started) < TickBudget)
            {
                if (!await DeliverNext()) break;
            }

            if (!HasBacklog)
            {
                timer?.Dispose();
                timer = null;
            }
        }
        catch (Exception ex)
        {
            LogTickFailed(AppId, WebhookId, ex);
        }
        finally
        {
            ticking = false;
        }
    }

    /// <summary>Posts the oldest pages as one batch; true if the receiver took it (or it was dead-lettered) and the next may go.</summary>
    private async Task<bool> DeliverNext()
    {
        var s = queue.State;
        var webhook = await GrainFactory.GetGrain<IWebhookRegistryGrain>(AppId).Get(WebhookId);
        if (webhook is null)
        {
            // Why: users whose cached routes still named the webhook may have queued events after its deletion
            // dropped the queue; they are dropped as the deletion says, not kept for a webhook that is gone.
            await ((IWebhookQueueGrain)this).Discard();
            return false;
        }

        if (!webhook.Settings.Enabled)
        {
            // Why: a disabled webhook keeps its backlog (nothing accepted is dropped) until it is enabled again.
            s.NextAttemptAt = Now + Options.Retry.MaxRetryInterval;
            s.LastError = "the webhook is disabled";
            await Save();
            return false;
        }

        // Why: whole pages, as many as fit a batch (at least one), so moving past them is moving past pages.
        var taken = new List<(long Page, WebhookEvent[] Events)>();
        int count = 0;
        for (long page = s.HeadPage; page < s.NextPage && taken.Count < MaxPagesPerBatch; page++)
        {
            if (!pages.TryGetValue(page, out var events)) pages[page] = events = await Page(page).Get();
            if (taken.Count > 0 && count + events.Length > Options.BatchSize) break;
            taken.Add((page, events));
            count += events.Length;
        }

        WebhookEvent[] batch = taken.Count == 1 ? taken[0].Events : [.. taken.SelectMany(t => t.Events)];
        string batchId = $"{WebhookId}-{ShardNumber}-{s.Batches + 1}";
        var attempt = batch.Length == 0 ? new WebhookAttempt(true, null, TimeSpan.Zero, null)
            : await sender.PostAsync(webhook.Settings.Url, webhook.Secret, AppId, WebhookId, batchId, batch);
        s.Attempts++;
        metrics.WebhookAttempt(AppId, attempt.Delivered ? "delivered" : "failed", attempt.Elapsed);
        if (attempt.Delivered)
        {
            s.Batches++;
            s.Delivered += batch.Length;
            s.FailuresInARow = 0;
            s.FailingSince = null;
            s.NextAttemptAt = null;
            s.LastDeliveredAt = Now;
            metrics.WebhookEvents(AppId, "delivered", batch.Length);
            TakeOff(taken);
            await Save();
            await Task.WhenAll(taken.Select(t => Page(t.Page).Clear()));
            return true;
        }

        var now = Now;
        s.FailedAttempts++;
        s.FailuresInARow++;
        s.FailingSince ??= now;
        s.LastError = attempt.Error;
        LogAttemptFailed(AppId, WebhookId, s.FailuresInARow, attempt.Error ?? "");
        if (Options.Retry.GivesUp(s.FailingSince.Value, now))
        {
            await DeadLetter(taken, now);
            return true;
        }

        s.NextAttemptAt = now + Options.Retry.After(s.FailuresInARow, Random.Shared.NextDouble());
        await Save();
        return false;
    }

    /// <summary>Takes the pages of a batch (the first queued ones) off the head.</summary>
    private void TakeOff(List<(long Page, WebhookEvent[] Events)> taken)
    {
        var s = queue.State;
        foreach (var (page, events) in taken)
        {
            pages.Remove(page);
            s.PagedEvents -= events.Length;
            s.HeadPage = page + 1;
        }
    }

    /// <summary>Gives the batch up: each of its pages is kept as a dead letter, and the queue goes on.</summary>
    private async Task DeadLetter(List<(long Page, WebhookEvent[] Events)> taken, DateTime now)
    {
        var s = queue.State;
        foreach (var (page, events) in taken)
        {
            Letters.Add(new WebhookDeadLetter($"{ShardNumber}-{page}", events.Length, events.Length > 0 ? events[0].At : now, events.Length > 0 ? events[^1].At : now,
                s.FailingSince ?? now, now, s.FailuresInARow, s.LastError ?? "") { Page = page });
            s.DeadLettered += events.Length;
        }

        int total = taken.Sum(t => t.Events.Length);
        metrics.WebhookEvents(AppId, "dead_lettered", total);
        LogDeadLettered(AppId, WebhookId, total, s.LastError ?? "");
        TakeOff(taken);
        s.FailuresInARow = 0;
        s.FailingSince = null;
        s.NextAttemptAt = null;
        List<long> forgotten = [];
        while (Letters.Count > MaxDeadLetters)
        {
            forgotten.Add(Letters[0].Page);
            Letters.RemoveAt(0);
        }

        // Why: the letters first: a stop between the writes leaves the batch both queued and dead-lettered (sent
        // again, a duplicate), never in neither.
        await deadLetters.WriteStateAsync();
        await Save();
        foreach (long old in forgotten) await Page(old).Clear();
    }

    /// <summary>
    /// Stores the queue: one write at a time, and every change made while one is in flight shares the next, so
    /// many users' enqueues cost one write and the tick's writes never race theirs.
    /// </summary>
    private Task Save()
    {
        if (writing is null && nextWrite is null) return writing = Write();
        return nextWrite ??= WriteAfter(writing);
    }

    private async Task Write()
    {
        try
        {
            await queue.WriteStateAsync();
        }
        finally
        {
            writing = null;
        }
    }

    private async Task WriteAfter(Task? previous)
    {
        if (previous is not null)
        {
            try
            {
                await previous;
            }
            catch (Exception)
            {
                // Its own callers saw that write fail; this one writes everything again.
            }
        }

        nextWrite = null;
        await (writing = Write());
    }

    [LoggerMessage(EventId = 700, Level = LogLevel.Warning, Message = "Webhook {WebhookId} of {AppId}: delivery failed ({FailuresInARow} in a row): {Error}")]
    private partial void LogAttemptFailed(string appId, string webhookId, int failuresInARow, string error);

    [LoggerMessage(EventId = 701, Level = LogLevel.Error, Message = "Webhook {WebhookId} of {AppId}: {Events} events dead-lettered after failing too long: {Error}")]
    private partial void LogDeadLettered(string appId, string webhookId, int events, string error);

    [LoggerMessage(EventId = 702, Level = LogLevel.Error, Message = "Webhook {WebhookId} of {AppId}: the backlog is full; {Events} events dropped")]
    private partial void LogBacklogFull(string appId, string webhookId, int events);

    [LoggerMessage(EventId = 704, Level = LogLevel.Warning, Message = "Webhook {WebhookId} of {AppId}: the queue's reminder could not be registered; a backlog left by a silo that dies waits for the next event of its shard")]
    private partial void LogReminderFailed(string appId, string webhookId, Exception exception);

    [LoggerMessage(EventId = 703, Level = LogLevel.Warning, Message = "Webhook {WebhookId} of {AppId}: the delivery tick failed; it runs again")]
    private partial void LogTickFailed(string appId, string webhookId, Exception exception);
}

[GenerateSerializer, Alias("segments.WebhookQueueState")]
public sealed class WebhookQueueState
{
    /// <summary>Events not yet sealed into a page, oldest first; delivered after every page.</summary>
    [Id(0)] public List<WebhookEvent> Tail { get; set; } = [];

    /// <summary>The oldest sealed page still queued; pages [HeadPage, NextPage) are queued.</summary>
    [Id(1)] public long HeadPage { get; set; }

    [Id(2)] public long NextPage { get; set; }

    [Id(4)] public long Delivered { get; set; }

    [Id(5)] public long Attempts { get; set; }

    [Id(6)] public long FailedAttempts { get; set; }

    [Id(7)] public int FailuresInARow { get; set; }

    [Id(8)] public DateTime? FailingSince { get; set; }

    [Id(9)] public DateTime? NextAttemptAt { get; set; }

    [Id(10)] public string? LastError { get; set; }

    [Id(11)] public DateTime? LastDeliveredAt { get; set; }

    [Id(13)] public long DeadLettered { get; set; }

    [Id(14)] public long Dropped { get; set; }

    /// <summary>Batches delivered, for batch ids.</summary>
    [Id(15)] public long Batches { get; set; }

    /// <summary>The events in queued pages.</summary>
    [Id(17)] public long PagedEvents { get; set; }
}

/// <summary>A queue shard's dead letters, a record of their own: written when one is added or redelivered, not with every enqueue.</summary>
[GenerateSerializer, Alias("segments.WebhookDeadLetterState")]
public sealed class WebhookDeadLetterState
{
    [Id(0)] public List<WebhookDeadLetter> Letters { get; set; } = [];
}
