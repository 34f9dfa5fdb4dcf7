using Orleans.Segments.Domain.Events;

namespace Orleans.Segments.Domain.Ingestion;

/// <summary>A validated message and the profile it belongs to.</summary>
public readonly record struct ParsedMessage(UserRef User, UserEvent Event);

/// <summary>What the parser made of one request body.</summary>
public sealed class ParseResult
{
    public List<ParsedMessage> Messages { get; } = [];

    /// <summary>Every problem found, each naming where it is (<c>batch[3].timestamp</c>).</summary>
    public List<string> Errors { get; } = [];

    /// <summary>The <c>writeKey</c> field of the body, if any.</summary>
    public string? WriteKey { get; set; }

    public bool IsValid => Errors.Count == 0;

    /// <summary>The last <c>context</c> read and what it gave, while the body is parsed (see the parser).</summary>
    internal (System.Text.Json.JsonElement Context, string? AnonymousId, Events.ClientContext? Client)? LastContext { get; set; }
}
