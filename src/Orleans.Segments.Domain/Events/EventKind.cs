namespace Orleans.Segments.Domain.Events;

/// <summary>The message types of the Segment tracking spec.</summary>
public enum EventKind : byte
{
    Track = 0,
    Identify = 1,
    Page = 2,
    Screen = 3,
    Alias = 4,
    Group = 5,
}
