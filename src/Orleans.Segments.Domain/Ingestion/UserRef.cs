namespace Orleans.Segments.Domain.Ingestion;

/// <summary>Whose profile a message updates: a known user id, or an anonymous id when no user id was sent.</summary>
public readonly record struct UserRef(string Id, bool Anonymous);
