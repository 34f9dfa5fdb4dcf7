using System.Globalization;
using MessagePack;

namespace Orleans.Segments.Domain.Events;

/// <summary>The kind of JSON value a trait holds.</summary>
public enum TraitKind : byte
{
    /// <summary>The trait was set to null: a tombstone that keeps late, older values from resurrecting it.</summary>
    Null = 0,
    String = 1,
    Number = 2,
    Boolean = 3,
    /// <summary>An object or array, kept as its JSON text.</summary>
    Json = 4,
}

/// <summary>One user trait: a typed value and the event time that set it.</summary>
[GenerateSerializer, Immutable, Alias("segments.TraitValue")]
[MessagePackObject]
public sealed record TraitValue(
    [property: Id(0), Key(0)] TraitKind Kind,
    [property: Id(1), Key(1)] string? Text,
    [property: Id(2), Key(2)] double Number,
    [property: Id(3), Key(3)] DateTime SetAt)
{
    public static TraitValue Null(DateTime at) => new(TraitKind.Null, null, 0, at);
    public static TraitValue Of(string text, DateTime at) => new(TraitKind.String, text, 0, at);
    public static TraitValue Of(double number, DateTime at) => new(TraitKind.Number, null, number, at);
    public static TraitValue Of(bool value, DateTime at) => new(TraitKind.Boolean, null, value ? 1 : 0, at);
    public static TraitValue OfJson(string json, DateTime at) => new(TraitKind.Json, json, 0, at);

    /// <summary>The value as a plain CLR object for JSON output (null, string, double, bool or a JSON text).</summary>
    public object? ToPlain() => Kind switch
    {
        TraitKind.String => Text,
        TraitKind.Number => Number,
        TraitKind.Boolean => Number != 0,
        TraitKind.Json => Text,
        _ => null,
    };

    public override string ToString() => Kind switch
    {
        TraitKind.Number => Number.ToString(CultureInfo.InvariantCulture),
        TraitKind.Boolean => Number != 0 ? "true" : "false",
        TraitKind.Null => "null",
        _ => Text ?? "",
    };
}
