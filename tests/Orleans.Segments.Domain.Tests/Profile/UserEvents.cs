using Orleans.Segments.Domain.Events;

namespace Orleans.Segments.Domain.Tests.Profile;

/// <summary>Builds the events the profile tests apply; message ids follow from name and time unless given.</summary>
internal static class UserEvents
{
    public static UserEvent Track(string name, DateTime at, string? messageId = null) =>
        new(EventKind.Track, messageId ?? $"{name}@{at.Ticks}", at) { Name = name };

    public static UserEvent Identify(DateTime at, string key, TraitValue value) =>
        new(EventKind.Identify, $"identify:{key}@{at.Ticks}", at) { Traits = new() { [key] = value } };

    public static UserEvent Of(EventKind kind, DateTime at) => new(kind, $"{kind}@{at.Ticks}", at);
}
