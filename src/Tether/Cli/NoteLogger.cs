using Microsoft.Extensions.Logging;

namespace Tether.Cli;

/// <summary>
/// Writes information and above as one plain line each (<c>note: …</c>, <c>warning: …</c>) to a
/// text writer: how <c>tether stats</c> tells the operator on stderr why a member is missing
/// (no engine socket, no permission on it) without setting up the agent's logging.
/// </summary>
/// <remarks>Thread-safe: one line per call, under a lock.</remarks>
internal sealed class NoteLogger(TextWriter output) : ILogger
{
    private readonly Lock _gate = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel))
        {
            return;
        }

        string prefix = logLevel >= LogLevel.Warning ? "warning" : "note";
        lock (_gate)
        {
            output.WriteLine($"{prefix}: {formatter(state, exception)}");
        }
    }
}
