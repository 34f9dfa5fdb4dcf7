namespace Orleans.Segments.Contracts;

/// <summary>
/// Every error answer (RFC 9457 problem details): <c>detail</c> says what to change, <c>errors</c> lists each problem
/// with the path of the field it is about (<c>trigger.at: ...</c>).
/// </summary>
public sealed record Problem(string? Type, string? Title, int? Status, string? Detail, string[]? Errors, string? TraceId);
