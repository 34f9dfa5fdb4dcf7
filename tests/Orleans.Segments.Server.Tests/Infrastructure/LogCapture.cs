using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Orleans.Segments.Server.Tests.Infrastructure;

/// <summary>Keeps every log line the server writes (message, exception and structured values) to search afterwards.</summary>
public sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<string> lines = new();

    public IReadOnlyCollection<string> Lines => lines;

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, lines);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            string values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(" ", pairs.Select(p => $"{p.Key}={p.Value}")) : "";
            lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} | {values} | {exception}");
        }
    }
}

/// <summary>A server of its own whose every log line, at Debug and above, is captured.</summary>
public sealed class LogCapturingServerFixture : ServerFixture
{
    public LogCapture Logs { get; } = new();

    // Why: the shipped appsettings keep Microsoft.AspNetCore at Warning; at Information its hosting log writes
    // every request's path, and device routes carry the push token in the path (see docs/operations.md).
    protected override IEnumerable<string> ExtraArguments =>
    [
        "--Logging:LogLevel:Default=Debug",
        "--Logging:LogLevel:Orleans=Debug",
        "--Logging:LogLevel:Orleans.Segments=Trace",
        "--Logging:LogLevel:Microsoft.AspNetCore=Warning",
    ];

    protected override void Configure(Microsoft.AspNetCore.Builder.WebApplicationBuilder builder) => builder.Logging.AddProvider(Logs);
}
