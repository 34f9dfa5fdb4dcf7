namespace Orleans.Segments.Contracts;

/// <summary>
/// A bulk import: <c>status</c> (<c>running</c> or <c>completed</c>), the lines done (applied or refused), users
/// imported (of them, created), lines refused, and the first 1,000 refused lines with their numbers and reasons.
/// A request that skipped lines a previous one with the same id had done says so in <c>resumedAfter</c>.
/// </summary>
public sealed record ImportAnswer(
    string ImportId,
    string Format,
    string Status,
    long LinesDone,
    long Imported,
    long Created,
    long Failed,
    ImportErrorView[] Errors,
    DateTime StartedAt,
    DateTime UpdatedAt,
    long? ResumedAfter = null);

public sealed record ImportErrorView(long Line, string Error);
