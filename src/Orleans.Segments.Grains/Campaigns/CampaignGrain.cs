using Microsoft.Extensions.Logging;
using Orleans.Segments.Domain.Campaigns;
using Orleans.Segments.Hosting;
using Orleans.Segments.Segments;
using Orleans.Segments.Users;

namespace Orleans.Segments.Campaigns;

/// <summary>
/// One campaign. Its status and definition are reported to the app's registry, from which every silo's user
/// grains learn what to fire. Broadcasts walk the audience (the segment's membership index, or the user
/// directory for an inline rule) in pages within the campaign's and the app's throttles, persisting the
/// cursor after each page; a reminder brings the grain back after a restart and the walk resumes where it
/// was. Users offered twice decide once, so resuming never sends a second copy.
/// </summary>
public sealed partial class CampaignGrain(
    [PersistentState("campaign", SegmentsStorage.Name)] IPersistentState<CampaignState> campaign,
    CampaignCache cache,
    TimeProvider time,
    SegmentsMetrics metrics,
    ILogger<CampaignGrain> logger) : Grain, ICampaignGrain, IRemindable
{
    /// <summary>The most users offered in one page of a broadcast.</summary>
    public const int PageSize = 500;

    /// <summary>How many offers are in flight at once, over the pages of the window.</summary>
    private const int Parallelism = 512;

    /// <summary>How many pages a broadcast offers at once (see <c>Broadcast</c>).</summary>
    private const int PagesInFlight = 4;

    private const string ReminderName = "campaign";

    private static readonly TimeSpan TimerPeriod = TimeSpan.FromMilliseconds(200);

    /// <summary>The pause between ticks while a broadcast is under way: just enough to let other calls in.</summary>
    private static readonly TimeSpan BusyPeriod = TimeSpan.FromMilliseconds(5);

    /// <summary>How long one tick may keep offering before it lets other calls in.</summary>
    private static readonly TimeSpan TickBudget = TimeSpan.FromMilliseconds(500);

    /// <summary>How often a tick looks at the opt-out rate (it is also checked after every opt-out).</summary>
    private static readonly TimeSpan GuardInterval = TimeSpan.FromSeconds(30);

    private IGrainTimer? timer;
    private bool busyPace;
    private DateTime guardCheckedAt;

    private string AppId => this.GetPrimaryKeyString()[..this.GetPrimaryKeyString().IndexOf('/')];

    private string CampaignId => this.GetPrimaryKeyString()[(this.GetPrimaryKeyString().IndexOf('/') + 1)..];

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    public static string Key(string appId, string campaignId) => $"{appId}/{campaignId}";

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (campaign.State.Definition is not null)
        {
            // Why: a registry write lost to a crash after the campaign's own write is repaired here.
            await Register();
            if (HasWork && campaign.State.Definition.Trigger.IsBroadcast) StartTimer();
        }
    }

    async Task<CampaignCommandResult> ICampaignGrain.Put(CampaignDefinition definition)
    {
        var s = campaign.State;
        if (definition.Id != CampaignId) return Refused(CampaignCommandStatus.Invalid, "the id in the body does not match the path.");
        if (!ResourceId.IsValid(definition.Id)) return Refused(CampaignCommandStatus.Invalid, $"'{ResourceId.Printable(definition.Id)}': {ResourceId.Rule}.");
        if (s.Status is CampaignStatus.Cancelled or CampaignStatus.Completed)
        {
            return Refused(CampaignCommandStatus.Conflict, $"the campaign is {Wire(s.Status)} and cannot be changed.");
        }

        var errors = definition.Validate();
        errors.AddRange(await CatalogReferences.MissingAsync(GrainFactory, AppId, definition.References()));
        if (errors.Count > 0) return new CampaignCommandResult(CampaignCommandStatus.Invalid, errors.ToArray(), null);

        var now = Now;
        bool created = s.Definition is null;
        if (!created && s.Definition == definition) return Ok(CampaignCommandStatus.Ok);
        if (s.Status is CampaignStatus.Running or CampaignStatus.Paused && ScheduleProblem(definition, now) is { } problem)
        {
            return Refused(CampaignCommandStatus.Invalid, problem);
        }

        if (s.Run is not null && (s.Definition!.AudienceSegment != definition.AudienceSegment || s.Definition.AudienceRule != definition.AudienceRule))
        {
            return Refused(CampaignCommandStatus.Conflict, $"the broadcast '{s.Run.Occurrence}' is under way; its audience cannot change until it ends (or pause and cancel it).");
        }

        bool scheduleChanged = s.Definition?.Trigger != definition.Trigger || s.Definition?.StartAt != definition.StartAt;
        s.Definition = definition;
        if (created) s.CreatedAt = now;
        s.UpdatedAt = now;
        if (scheduleChanged && s.Status is CampaignStatus.Running or CampaignStatus.Paused) s.Next = FirstOccurrence(definition, now);
        await Save();
        return Ok(created ? CampaignCommandStatus.Created : CampaignCommandStatus.Ok);
    }

    Task<CampaignView?> ICampaignGrain.Get() => Task.FromResult(View());

    async Task<CampaignCommandResult> ICampaignGrain.Launch()
    {
        var s = campaign.State;
        if (s.Definition is not { } definition) return NotFound();
        switch (s.Status)
        {
            case CampaignStatus.Running: return Ok(CampaignCommandStatus.Ok);
            case CampaignStatus.Paused: return Refused(CampaignCommandStatus.Conflict, "the campaign is paused; resume it instead.");
            case CampaignStatus.Cancelled or CampaignStatus.Completed:
                return Refused(CampaignCommandStatus.Conflict, $"the campaign is {Wire(s.Status)} and cannot be launched again.");
        }

        var now = Now;
        if (ScheduleProblem(definition, now) is { } problem) return Refused(CampaignCommandStatus.Invalid, problem);
        s.Status = CampaignStatus.Running;
        s.StatusReason = null;
        s.LaunchedAt = now;
        s.UpdatedAt = now;
        s.Next = FirstOccurrence(definition, now);
        await Save();
        await StartWork();
        return Ok(CampaignCommandStatus.Ok);
    }

    Task<CampaignCommandResult> ICampaignGrain.Pause(string reason) => Pause(reason);

    async Task<CampaignCommandResult> ICampaignGrain.Resume()
    {
        var s = campaign.State;
        if (s.Definition is null) return NotFound();
        if (s.Status == CampaignStatus.Running) return Ok(CampaignCommandStatus.Ok);
        if (s.Status != CampaignStatus.Paused) return Refused(CampaignCommandStatus.Conflict, $"only a paused campaign can be resumed; this one is {Wire(s.Status)}.");
        s.Status = CampaignStatus.Running;
        s.StatusReason = null;
        s.UpdatedAt = Now;
        if (s.Run is { } run)
        {
            // Why: the pause is not a burst allowance; the throttle starts again from now.
            run.TokensAt = Now;
        }

        await Save();
        await StartWork();
        return Ok(CampaignCommandStatus.Ok);
    }

    async Task<CampaignCommandResult> ICampaignGrain.Cancel()
    {
        var s = campaign.State;
        if (s.Definition is null) return NotFound();
        if (s.Status == CampaignStatus.Cancelled) return Ok(CampaignCommandStatus.Ok);
        if (s.Status == CampaignStatus.Completed) return Refused(CampaignCommandStatus.Conflict, "the campaign has completed.");
        s.Status = CampaignStatus.Cancelled;
        s.StatusReason = "cancelled by a campaign manager";
        s.UpdatedAt = Now;
        FinishRun("cancelled");
        s.Next = null;
        await Save();
        await StopWork();
        return Ok(CampaignCommandStatus.Ok);
    }

    async Task<CampaignCommandResult> ICampaignGrain.SendNow()
    {
        var s = campaign.State;
        if (s.Definition is not { } definition) return NotFound();
        if (definition.Trigger.Kind != TriggerKind.Manual) return Refused(CampaignCommandStatus.Conflict, "only a campaign with a manual trigger is sent on demand.");
        if (s.Status != CampaignStatus.Running) return Refused(CampaignCommandStatus.Conflict, $"the campaign is {Wire(s.Status)}; launch or resume it first.");
        if (s.Run is not null) return Refused(CampaignCommandStatus.Conflict, $"the broadcast '{s.Run.Occurrence}' is still under way.");
        if (!definition.ActiveAt(Now)) return Refused(CampaignCommandStatus.Conflict, "the campaign is outside its start and end dates.");
        s.ManualRuns++;
        await StartRun($"manual-{s.ManualRuns}", Now, null);
        await Save();
        StartTimer();
        return Ok(CampaignCommandStatus.Ok);
    }

    Task ICampaignGrain.Tick() => Tick();

    private async Task Tick()
    {
        var s = campaign.State;
        if (s.Definition is not { } definition || s.Status != CampaignStatus.Running) return;
        var now = Now;
        if (now - guardCheckedAt >= GuardInterval && await GuardTripped()) return;

        if (s.Run is null && s.Next is { } next && next.StartAt <= now)
        {
            s.Last = next;
            s.Next = CampaignSchedule.Next(definition.Trigger, now, next);
            if (s.Next is { } following && definition.EndAt is { } end && following.StartAt >= end) s.Next = null;
            await StartRun(next.Key, next.LocalWallClock is null ? next.StartAt : now, next.LocalWallClock);
            await Save();
        }

        if (s.Run is not null)
        {
            await Broadcast(definition);
            Pace(s.Run is not null);
            return;
        }

        Pace(false);

        bool scheduleDone = definition.Trigger.Kind == TriggerKind.Schedule && s.Next is null;
        bool ended = definition.EndAt is { } endAt && now >= endAt;
        if (scheduleDone || ended)
        {
            s.Status = CampaignStatus.Completed;
            s.StatusReason = ended ? "the end date has passed" : "every scheduled occurrence was sent";
            s.UpdatedAt = now;
            await Save();
            await StopWork();
        }
    }

    async Task ICampaignGrain.CheckOptOutGuard() => await GuardTripped();

    async Task ICampaignGrain.OptOutReported() => await GuardTripped();

    Task<CampaignStats> ICampaignGrain.GetStats() => Stats();

    private async Task<CampaignStats> Stats()
    {
        var shards = await Task.WhenAll(Enumerable.Range(0, CampaignStatsGrain.Shards)
            .Select(i => GrainFactory.GetGrain<ICampaignStatsGrain>(CampaignStatsGrain.Key(AppId, CampaignId, i)).Get()));
        var total = new CampaignStats();
        foreach (var shard in shards) total.Merge(shard);
        total.Merge(campaign.State.BroadcastStats);
        return total;
    }

    async Task IRemindable.ReceiveReminder(string reminderName, TickStatus status)
    {
        if (!HasWork)
        {
            await StopWork();
            return;
        }

        if (campaign.State.Definition!.Trigger.IsBroadcast) StartTimer();
        await Tick();
    }


    private async Task<bool> GuardTripped()
    {
        var s = campaign.State;
        guardCheckedAt = Now;
        if (s.Definition is not { } definition || s.Status != CampaignStatus.Running) return false;
        var stats = await Stats();
        var treated = stats.Treated();
        if (treated.Sent < definition.OptOutMinimumSample || treated.Sent == 0) return false;
        double rate = (double)treated.OptedOut / treated.Sent;
        if (rate <= definition.OptOutThreshold) return false;
        await Pause($"opt-out guard: {treated.OptedOut} opt-outs after {treated.Sent} pushes ({rate:P1}), above the threshold of {definition.OptOutThreshold:P1}");
        return true;
    }

    private async Task<CampaignCommandResult> Pause(string reason)
    {
        var s = campaign.State;
        if (s.Definition is null) return NotFound();
        if (s.Status == CampaignStatus.Paused) return Ok(CampaignCommandStatus.Ok);
        if (s.Status != CampaignStatus.Running) return Refused(CampaignCommandStatus.Conflict, $"only a running campaign can be paused; this one is {Wire(s.Status)}.");
        s.Status = CampaignStatus.Paused;
        s.StatusReason = reason;
        s.UpdatedAt = Now;
        await Save();
        await StopWork();
        LogPaused(AppId, CampaignId, reason);
        return Ok(CampaignCommandStatus.Ok);
    }

    /// <summary>Persists, then tells the registry, so user grains never act on a status the campaign did not keep.</summary>
    private async Task Save()
    {
        await campaign.WriteStateAsync();
        await Register();
    }

    private async Task Register()
    {
        var s = campaign.State;
        s.RegistryVersion = await GrainFactory.GetGrain<ICampaignRegistryGrain>(AppId).Put(new CampaignRegistration(s.Definition!, s.Status));
        cache.Invalidate(AppId);
    }

    private bool HasWork => campaign.State.Status == CampaignStatus.Running;

    private async Task StartWork()
    {
        await this.RegisterOrUpdateReminder(ReminderName, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
        if (campaign.State.Definition!.Trigger.IsBroadcast) StartTimer();
    }

    private async Task StopWork()
    {
        timer?.Dispose();
        timer = null;
        busyPace = false;
        if (await this.GetReminder(ReminderName) is { } reminder) await this.UnregisterReminder(reminder);
    }

    /// <summary>Ticks back to back while a broadcast is under way, every <see cref="TimerPeriod"/> otherwise.</summary>
    private void Pace(bool busy)
    {
        if (timer is null || busy == busyPace) return;
        busyPace = busy;
        var period = busy ? BusyPeriod : TimerPeriod;
        timer.Change(period, period);
    }

    private void StartTimer()
    {
        timer ??= this.RegisterGrainTimer(static (self, _) => self.Tick(), this,
            new GrainTimerCreationOptions(TimerPeriod, TimerPeriod) { KeepAlive = true });
    }

    /// <summary>Why the schedule can never send (checked at launch), or null.</summary>
    private static string? ScheduleProblem(CampaignDefinition definition, DateTime now)
    {
        if (definition.EndAt is { } end && end <= now) return "endAt has already passed.";
        if (definition.Trigger.Kind != TriggerKind.Schedule) return null;
        var trigger = definition.Trigger;
        if (!trigger.LocalTime && trigger.Cron is null && trigger.At is { } at && at < now - TimeSpan.FromMinutes(1))
        {
            return $"trigger.at ({at:o}) is in the past.";
        }

        var next = FirstOccurrence(definition, now);
        if (next is null) return trigger.Cron is not null ? "the cron expression never fires." : "trigger.at has passed in every time zone.";
        if (definition.EndAt is { } endAt && next.StartAt >= endAt) return "the schedule's first occurrence falls after endAt.";
        return null;
    }

    /// <summary>The schedule's first occurrence from now, or from the start date if that is later.</summary>
    private static ScheduledOccurrence? FirstOccurrence(CampaignDefinition definition, DateTime now) =>
        CampaignSchedule.Next(definition.Trigger, definition.StartAt is { } start && start > now ? start : now, null);

    private CampaignView? View()
    {
        var s = campaign.State;
        if (s.Definition is null) return null;
        return new CampaignView(s.Definition, s.Status, s.StatusReason, s.CreatedAt, s.UpdatedAt, s.LaunchedAt,
            s.Run is { } run ? Progress(run, null, "running") : null, s.Next?.StartAt, s.Past.ToArray());
    }

    private static BroadcastProgress Progress(BroadcastRun run, DateTime? finishedAt, string state) =>
        new(run.Occurrence, run.StartedAt, finishedAt, run.Offered, run.AudienceAtStart, state);

    private CampaignCommandResult Ok(CampaignCommandStatus status) => new(status, [], View());

    private CampaignCommandResult NotFound() => new(CampaignCommandStatus.NotFound, [$"no campaign '{CampaignId}' in this app."], null);

    private CampaignCommandResult Refused(CampaignCommandStatus status, string error) => new(status, [error], View());

    public static string Wire(CampaignStatus status) => status.ToString().ToLowerInvariant();
}
