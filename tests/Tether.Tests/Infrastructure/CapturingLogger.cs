using Microsoft.Extensions.Logging;

namespace Tether.Tests.Infrastructure;

/// <summary>Keeps every log entry (level, rendered message, exception) and lets a test wait for one.</summary>
/// <remarks>Thread-safe: the code under test logs from its own threads.</remarks>
internal sealed class CapturingLogger<T> : ILogger<T>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private readonly Lock _gate = new();
    private readonly List<LogEntry> _entries = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<LogEntry> Entries
    {
        get
        {
            lock (_gate)
            {
                return [.. _entries];
            }
        }
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        TaskCompletionSource changed;
        lock (_gate)
        {
            _entries.Add(new LogEntry(logLevel, formatter(state, exception), exception));
            changed = _changed;
            _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.SetResult();
    }

    /// <summary>Returns the first entry that matches, waiting for it up to 10 s.</summary>
    public async Task<LogEntry> WaitForAsync(Func<LogEntry, bool> match)
    {
        using var cts = new CancellationTokenSource(Deadline);
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (_entries.FirstOrDefault(match) is { } found)
                {
                    return found;
                }

                changed = _changed.Task;
            }

            try
            {
                await changed.WaitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"No matching log entry within {Deadline}; got: {string.Join(" | ", Entries.Select(e => e.Message))}");
            }
        }
    }
}
