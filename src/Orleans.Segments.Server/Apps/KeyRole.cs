namespace Orleans.Segments.Server.Apps;

/// <summary>What a key may do: ingest events only, or manage its app.</summary>
public enum KeyRole
{
    Write,
    Admin,
}

/// <summary>An authenticated caller: the app its key belongs to, and the key's role.</summary>
public sealed record AppCaller(string AppId, KeyRole Role);
