namespace Orleans.Segments.Users;

/// <summary>A bulk import's progress, written after every batch, so that a broken connection resumes where it stopped.</summary>
public sealed class UserImportGrain(
    [PersistentState("userImport", Hosting.SegmentsStorage.Name)] IPersistentState<UserImportState> import,
    TimeProvider time) : Grain, IUserImportGrain
{
    /// <summary>The refused lines kept with their reasons (the rest are counted).</summary>
    public const int MaxErrors = 1000;

    private string ImportId => this.GetPrimaryKeyString()[(this.GetPrimaryKeyString().IndexOf('/') + 1)..];

    async Task<ImportProgress> IUserImportGrain.Begin(string format)
    {
        var s = import.State;
        var now = time.GetUtcNow().UtcDateTime;
        if (s.StartedAt == default)
        {
            s.StartedAt = now;
            s.Format = format;
        }

        s.Status = "running";
        s.UpdatedAt = now;
        await import.WriteStateAsync();
        return View();
    }

    async Task IUserImportGrain.Record(long linesDone, long imported, long created, long failed, ImportLineError[] errors, bool finished)
    {
        var s = import.State;
        if (linesDone > s.LinesDone)
        {
            s.LinesDone = linesDone;
            s.Imported += imported;
            s.Created += created;
            s.Failed += failed;
            foreach (var error in errors)
            {
                if (s.Errors.Count < MaxErrors) s.Errors.Add(error);
            }
        }

        if (finished) s.Status = "completed";
        s.UpdatedAt = time.GetUtcNow().UtcDateTime;
        await import.WriteStateAsync();
    }

    Task<ImportProgress?> IUserImportGrain.Get() => Task.FromResult(import.State.StartedAt == default ? null : View());

    private ImportProgress View()
    {
        var s = import.State;
        return new ImportProgress(ImportId, s.Format, s.Status, s.LinesDone, s.Imported, s.Created, s.Failed, [.. s.Errors], s.StartedAt, s.UpdatedAt);
    }
}

[GenerateSerializer, Alias("segments.UserImportState")]
public sealed class UserImportState
{
    [Id(0)] public string Format { get; set; } = "";

    [Id(1)] public string Status { get; set; } = "";

    [Id(2)] public long LinesDone { get; set; }

    [Id(3)] public long Imported { get; set; }

    [Id(4)] public long Created { get; set; }

    [Id(5)] public long Failed { get; set; }

    [Id(6)] public List<ImportLineError> Errors { get; set; } = [];

    [Id(7)] public DateTime StartedAt { get; set; }

    [Id(8)] public DateTime UpdatedAt { get; set; }
}
