using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Segments.Domain.Webhooks;
using Orleans.Segments.Hosting;

namespace Orleans.Segments.Webhooks;

/// <summary>
/// One shard of a webhook's queue. New events are appended to <see cref="WebhookQueueState.Tail"/> and stored
/// before <see cref="IWebhookQueueGrain.Enqueue"/> returns (one write for every enqueue that arrived meanwhile).
/// While the receiver fails, the tail is sealed into pages (<see cref="IWebhookPageGrain"/>, written once), so a
/// long backlog costs a write of what changed, not of the whole backlog. Delivery takes the oldest page, or the
/// tail's first batch, posts it, and moves past it only when the receiver answered 2xx: a user's events (always in
/// the same shard) arrive in the order they happened, at least once.
/// </summary>
public sealed partial class WebhookQueueGrain(
    [PersistentState("webhookQueue", SegmentsStorage.Name)] IPersistentState<WebhookQueueState> queue,
    WebhookSender sender,
    TimeProvider time,
    IOptionsMonitor<SegmentsOptions> options,
    SegmentsMetrics metrics,
    ILogger<WebhookQueueGrain> logger) : Grain, IWebhookQueueGrain, IRemindable
{
    /// <summary>Shards per webhook: the deliveries that run side by side for one receiver.</summary>
    public const int Shards = 8;

    /// <summary>Events per sealed page.</summary>
    public const int PageSize = 1000;

    /// <summary>The most dead letters kept per shard; the oldest are dropped (and counted) beyond.</summary>
    public const int MaxDeadLetters = 1000;

    private const string ReminderName = "webhook";

    /// <summary>How often the queue looks at its backlog while it has one.</summary>
    private static readonly TimeSpan TickPeriod = TimeSpan.FromMilliseconds(200);

    private IGrainTimer? timer;
    private bool ticking;

    /// <summary>Whether this activation registered the reminder that brings the queue back after a restart.</summary>
    private bool reminderSet;
    private Task? writing;
    private Task? nextWrite;
    private (long Page, WebhookEvent[] Events)? headPage;

    public static string Key(string appId, string webhookId, int shard) => $"{appId}/{webhookId}/{shard}";

    public static int ShardOf(string userGrainKey) =>
        (int)(System.IO.Hashing.XxHash32.HashToUInt32(System.Text.Encoding.UTF8.GetBytes(userGrainKey)) % Shards);

    private string AppId => this.GetPrimaryKeyString().Split('/')[0];

    private string WebhookId => this.GetPrimaryKeyString().Split('/')[1];

    private WebhookOptions Options => options.CurrentValue.Webhooks;

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (HasBacklog) StartTimer();
        return Task.CompletedTask;
    }

    private bool HasBacklog => queue.State.Tail.Count > 0 || queue.State.HeadPage < queue.State.NextPage;

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
            if (events.Length == 0)
            {
                await Save();
                return;
            }
        }

        s.Tail.AddRange(events);
        await Save();
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

    Task<WebhookQueueStatus> IWebhookQueueGrain.GetStatus()
    {
        var s = queue.State;
        DateTime? oldest = s.PageFirstEventAt.Count > 0 ? s.PageFirstEventAt[0] : s.Tail.Count > 0 ? s.Tail[0].At : null;
        return Task.FromResult(new WebhookQueueStatus(Pending, oldest, s.Delivered, s.Attempts, s.FailedAttempts, s.FailuresInARow,
            s.FailingSince, s.NextAttemptAt, s.LastError, s.LastDeliveredAt, s.DeadLettered, s.Dropped));
    }

    Task<WebhookDeadLetter[]> IWebhookQueueGrain.GetDeadLetters() => Task.FromResult(queue.State.DeadLetters.ToArray());

    async Task<WebhookEvent[]?> IWebhookQueueGrain.GetDeadLetterEvents(string deadLetterId)
    {
        var letter = queue.State.DeadLetters.Find(d => d.Id == deadLetterId);
        return letter is null ? null : await Page(letter.Page).Get();
    }

    async Task<bool> IWebhookQueueGrain.Redeliver(string deadLetterId)
    {
        var s = queue.State;
        var letter = s.DeadLetters.Find(d => d.Id == deadLetterId);
        if (letter is null) return false;
        var events = await Page(letter.Page).Get();
        s.Tail.AddRange(events);
        s.DeadLetters.Remove(letter);
        await Save();
        await Page(letter.Page).Clear();
        if (timer is null) StartTimer();
        return true;
    }

    async Task IWebhookQueueGrain.Discard()
    {
        var s = queue.State;
        var pages = Enumerable.Range(0, (int)Math.Min(int.MaxValue, s.NextPage - s.HeadPage)).Select(i => s.HeadPage + i)
            .Concat(s.DeadLetters.Select(d => d.Page)).ToList();
        await Task.WhenAll(pages.Select(p => Page(p).Clear()));
        timer?.Dispose();
        timer = null;
        headPage = null;
        await queue.ClearStateAsync();
        queue.State = new WebhookQueueState();
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

    private long Pending => queue.State.Tail.Count + (queue.State.NextPage - queue.State.HeadPage) * PageSize;

    private IWebhookPageGrain Page(long page) => GrainFactory.GetGrain<IWebhookPageGrain>($"{this.GetPrimaryKeyString()}/{page}");

    private void StartTimer() =>
        timer ??= this.RegisterGrainTimer(static (self, _) => self.Tick(), this, new GrainTimerCreationOptions(TimeSpan.Zero, TickPeriod) { KeepAlive = true });

    /// <summary>
    /// Seals a long tail into pages, then delivers batches until the queue is empty, an attempt fails, or a
    /// retry is not due yet. Only this tick changes the head of the queue; enqueues (which interleave with its
    /// awaits) only append to the tail.
    /// </summary>
    private async Task Tick()
    {
        if (ticking) return;
        ticking = true;
        try
        {
            await SealPages();
            while (HasBacklog && !(queue.State.NextAttemptAt > Now))
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

    /// <summary>Moves all but the last page's worth of the tail into sealed pages, if the tail grew past two pages.</summary>
    private async Task SealPages()
    {
        var s = queue.State;
        while (s.Tail.Count >= 2 * PageSize)
        {
            var events = s.Tail.GetRange(0, PageSize).ToArray();
            s.PageFirstEventAt.Add(events[0].At);
            await Page(s.NextPage).Put(events);
            s.Tail.RemoveRange(0, PageSize);
            s.NextPage++;
            await Save();
        }
    }

    /// <summary>Posts the oldest batch; true if the receiver took it (or it was dead-lettered) and the next one may go.</summary>
    private async Task<bool> DeliverNext()
    {
        var s = queue.State;
        var webhook = await GrainFactory.GetGrain<IWebhookRegistryGrain>(AppId).Get(WebhookId);
        if (webhook is null || !webhook.Settings.Enabled)
        {
            // Why: a disabled webhook keeps its backlog (nothing accepted is dropped) until it is enabled again.
            s.NextAttemptAt = Now + Options.Retry.MaxRetryInterval;
            s.LastError = webhook is null ? "the webhook was deleted" : "the webhook is disabled";
            await Save();
            return false;
        }

        bool fromPage = s.HeadPage < s.NextPage;
        WebhookEvent[] batch;
        if (fromPage)
        {
            if (headPage is not { } cached || cached.Page != s.HeadPage) headPage = (s.HeadPage, await Page(s.HeadPage).Get());
            batch = headPage.Value.Events;
        }
        else
        {
            batch = s.Tail.GetRange(0, Math.Min(Options.BatchSize, s.Tail.Count)).ToArray();
        }

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
            await MovePast(fromPage, batch.Length);
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
            await DeadLetter(fromPage, batch, now);
            return true;
        }

        s.NextAttemptAt = now + Options.Retry.After(s.FailuresInARow, Random.Shared.NextDouble());
        await Save();
        return false;
    }

    private int ShardNumber => int.Parse(this.GetPrimaryKeyString().Split('/')[2], System.Globalization.CultureInfo.InvariantCulture);

    private async Task MovePast(bool fromPage, int count)
    {
        var s = queue.State;
        if (fromPage)
        {
            long page = s.HeadPage;
            s.HeadPage++;
            headPage = null;
            if (s.PageFirstEventAt.Count > 0) s.PageFirstEventAt.RemoveAt(0);
            await Save();
            await Page(page).Clear();
        }
        else
        {
            s.Tail.RemoveRange(0, count);
            await Save();
        }
    }

    /// <summary>Gives the head batch up: it is kept as a dead letter (a page of its own) and the queue goes on.</summary>
    private async Task DeadLetter(bool fromPage, WebhookEvent[] batch, DateTime now)
    {
        var s = queue.State;
        long page;
        if (fromPage)
        {
            page = s.HeadPage;
            s.HeadPage++;
            headPage = null;
            if (s.PageFirstEventAt.Count > 0) s.PageFirstEventAt.RemoveAt(0);
        }
        else
        {
            // Why: the tail's batch becomes a page of its own, numbered past every queued page; the pages queued are
            // none (the tail is delivered only when there are none), so the queue's order is kept.
            page = s.NextPage;
            await Page(page).Put(batch);
            s.NextPage++;
            s.HeadPage = s.NextPage;
            s.Tail.RemoveRange(0, batch.Length);
        }

        s.DeadLetters.Add(new WebhookDeadLetter($"{ShardNumber}-{page}", batch.Length, batch.Length > 0 ? batch[0].At : now, batch.Length > 0 ? batch[^1].At : now,
            s.FailingSince ?? now, now, s.FailuresInARow, s.LastError ?? "") { Page = page });
        s.DeadLettered += batch.Length;
        metrics.WebhookEvents(AppId, "dead_lettered", batch.Length);
        LogDeadLettered(AppId, WebhookId, batch.Length, s.LastError ?? "");
        s.FailuresInARow = 0;
        s.FailingSince = null;
        s.NextAttemptAt = null;
        List<long> forgotten = [];
        while (s.DeadLetters.Count > MaxDeadLetters)
        {
            forgotten.Add(s.DeadLetters[0].Page);
            s.DeadLetters.RemoveAt(0);
        }

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
    /// <summary>Events not in a sealed page, oldest first; delivered after every page.</summary>
    [Id(0)] public List<WebhookEvent> Tail { get; set; } = [];

    /// <summary>The oldest sealed page still queued; pages [HeadPage, NextPage) are queued.</summary>
    [Id(1)] public long HeadPage { get; set; }

    [Id(2)] public long NextPage { get; set; }

    /// <summary>When the first event of each queued page happened, in page order.</summary>
    [Id(3)] public List<DateTime> PageFirstEventAt { get; set; } = [];

    [Id(4)] public long Delivered { get; set; }

    [Id(5)] public long Attempts { get; set; }

    [Id(6)] public long FailedAttempts { get; set; }

    [Id(7)] public int FailuresInARow { get; set; }

    [Id(8)] public DateTime? FailingSince { get; set; }

    [Id(9)] public DateTime? NextAttemptAt { get; set; }

    [Id(10)] public string? LastError { get; set; }

    [Id(11)] public DateTime? LastDeliveredAt { get; set; }

    [Id(12)] public List<WebhookDeadLetter> DeadLetters { get; set; } = [];

    [Id(13)] public long DeadLettered { get; set; }

    [Id(14)] public long Dropped { get; set; }

    /// <summary>Batches delivered, for batch ids.</summary>
    [Id(15)] public long Batches { get; set; }
}
