namespace Orleans.Segments.Users;

/// <summary>
/// One bulk import of an app (key: <c>app/importId</c>): how far it got, what it imported, the lines it refused
/// with their numbers. A request with the same import id resumes after the last line recorded here.
/// </summary>
[Alias("segments.IUserImportGrain")]
public interface IUserImportGrain : IGrainWithStringKey
{
    /// <summary>Starts (or resumes) the import; the answer's <see cref="ImportProgress.LinesDone"/> lines are skipped.</summary>
    [Alias("Begin")]
    Task<ImportProgress> Begin(string format);

    /// <summary>Records that every line up to <paramref name="linesDone"/> was applied or refused.</summary>
    [Alias("Record")]
    Task Record(long linesDone, long imported, long created, long failed, ImportLineError[] errors, bool finished);

    [Alias("Get")]
    Task<ImportProgress?> Get();
}

[GenerateSerializer, Immutable, Alias("segments.ImportLineError")]
public sealed record ImportLineError([property: Id(0)] long Line, [property: Id(1)] string Error);

[GenerateSerializer, Immutable, Alias("segments.ImportProgress")]
public sealed record ImportProgress(
    [property: Id(0)] string ImportId,
    [property: Id(1)] string Format,
    [property: Id(2)] string Status,
    [property: Id(3)] long LinesDone,
    [property: Id(4)] long Imported,
    [property: Id(5)] long Created,
    [property: Id(6)] long Failed,
    [property: Id(7)] ImportLineError[] Errors,
    [property: Id(8)] DateTime StartedAt,
    [property: Id(9)] DateTime UpdatedAt);
