using System.Net;
using Orleans.Segments.Contracts;

namespace Orleans.Segments.Client;

/// <summary>The server refused a call: its status, and the problem details it gave (reason and field errors).</summary>
public sealed class SegmentsApiException(HttpStatusCode status, Problem? problem, TimeSpan? retryAfter)
    : Exception(Describe(status, problem))
{
    public HttpStatusCode Status { get; } = status;

    /// <summary>The problem details, when the answer had them.</summary>
    public Problem? Problem { get; } = problem;

    /// <summary>Each invalid field with its path and reason, e.g. <c>cap.window: must be a duration such as 7d.</c></summary>
    public IReadOnlyList<string> Errors { get; } = problem?.Errors ?? [];

    /// <summary>How long the server asked to wait (429, 503).</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;

    private static string Describe(HttpStatusCode status, Problem? problem)
    {
        string text = $"{(int)status} {problem?.Title ?? status.ToString()}";
        if (problem?.Detail is { Length: > 0 } detail) text += $": {detail}";
        if (problem?.Errors is { Length: > 0 } errors) text += $" ({string.Join(" ", errors)})";
        return text;
    }
}
