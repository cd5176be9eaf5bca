using Microsoft.Extensions.Logging;
using Tether.Logging;
using Tether.Platform.Processes;
using Tether.Platform.Pty;
using Tether.Protocol;
using Tether.Transport;

namespace Tether.Shell;

/// <summary>
/// One running shell: pumps its output to the server (<c>ShellSession.Output.cs</c>), writes
/// keystrokes (<c>.Input.cs</c>) and ends it (here). Whoever ends it (exit, <c>shell_close</c>,
/// connection loss, shutdown), the session posts exactly one <c>shell_closed</c>, then releases
/// its slot, once (docs/protocol.md §3, §4).
/// </summary>
/// <remarks>
/// Thread-safety: <see cref="EnqueueInput"/>, <see cref="Resize"/>, <see cref="RequestClose"/> and
/// <see cref="AbandonForShutdown"/> may be called from any thread. The lifetime, pump and input
/// loops are tasks this instance owns; <see cref="Completion"/> ends when all of them have.
/// </remarks>
internal sealed partial class ShellSession
{
    private readonly IPtySession _pty;
    private readonly IProcessSessions? _processes;
    private readonly Outbox _outbox;
    private readonly EventFrameEncoder _encoder;
    private readonly IAuditLog _audit;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly IDisposable _slot;
    private readonly ShellSessionOptions _options;
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _hurry = new();
    private readonly TaskCompletionSource<CloseRequest> _closeRequested = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _completion = Task.CompletedTask;
    private int _closedPosted;
    private int _slotReleased;

    public ShellSession(
        string id,
        IPtySession pty,
        IProcessSessions? processes,
        IDisposable slot,
        Outbox outbox,
        EventFrameEncoder encoder,
        IAuditLog audit,
        TimeProvider time,
        ILogger log,
        ShellSessionOptions options,
        ShellOutputEncoder output)
    {
        Id = id;
        _pty = pty;
        _processes = processes;
        _slot = slot;
        _outbox = outbox;
        _encoder = encoder;
        _audit = audit;
        _time = time;
        _log = log;
        _options = options;
        _output = output;
    }

    public string Id { get; }

    public int Pid => _pty.Pid;

    /// <summary>Ends once the shell is gone, its <c>shell_closed</c> posted and its slot released; never faults.</summary>
    public Task Completion => _completion;

    /// <summary>Starts the pump, the input writer and the lifetime; call once.</summary>
    public void Start()
    {
        var pump = Task.Run(() => PumpOutputAsync(_stop.Token));
        var input = Task.Run(() => WriteInputAsync(_stop.Token));
        _completion = RunAsync(pump, input);
    }

    /// <summary>
    /// Ends the shell: SIGHUP to its group and session, SIGKILL after the grace. The first
    /// reason wins; an <paramref name="urgent"/> request (shutdown) also cuts a grace already running.
    /// </summary>
    public void RequestClose(string reason, bool urgent)
    {
        var first = _closeRequested.TrySetResult(urgent
            ? new CloseRequest(reason, _options.ShutdownGrace, _options.ShutdownDrainTimeout)
            : new CloseRequest(reason, _options.CloseGrace, _options.DrainTimeout));
        // Urgent and too late to choose the short grace (a close already running, or the
        // leftovers of a shell that exited): cut the running grace.
        if (urgent && (!first || _pty.Exited.IsCompleted))
        {
            _hurry.Cancel();
        }
    }

    /// <summary>Resizes the terminal; false when the shell is already gone.</summary>
    public bool Resize(int columns, int rows)
    {
        try
        {
            _pty.Resize(columns, rows);
            return true;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
        catch (PtyException ex)
        {
            LogResizeFailed(Id, ex.Message);
            return false;
        }
    }

    /// <summary>
    /// Shutdown ran out of time: report the shell now (if not yet) and kill what is left without
    /// waiting, so nothing outlives the agent unreported.
    /// </summary>
    public void AbandonForShutdown()
    {
        RequestClose(ShellClosedEvent.ShuttingDown, urgent: true);
        Kill();
        ReleaseSlot();
        PostClosed(ShellClosedEvent.ShuttingDown, exit: null);
    }

    private async Task RunAsync(Task pump, Task input)
    {
        PtyExit? exit = null;
        var reason = ShellClosedEvent.Exited;
        var drain = _options.DrainTimeout;
        try
        {
            var first = await Task.WhenAny(_pty.Exited, _closeRequested.Task);
            if (first == _closeRequested.Task && !_pty.Exited.IsCompleted)
            {
                var request = await _closeRequested.Task;
                reason = request.Reason;
                drain = request.Drain;
                LogClosing(Id, reason);
                SignalGroup(PtySignal.Hangup);
                await EndSessionAsync(request.Grace);
            }
            else
            {
                // Exited on its own: jobs it left in the session (nohup, dash's background
                // jobs) get the same treatment, so nothing runs unattended.
                await EndSessionAsync(_options.CloseGrace);
            }

            exit = await _pty.Exited;
            await FinishOutputAsync(pump, _hurry.IsCancellationRequested ? _options.ShutdownDrainTimeout : drain);
        }
#pragma warning disable CA1031 // the lifetime must always report and release, whatever broke
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogLifetimeFailed(ex, Id);
            Kill();
        }
        finally
        {
            try
            {
                await _stop.CancelAsync();
                _pty.Dispose();
                await ObserveAsync(pump);
                await ObserveAsync(input);
            }
            finally
            {
                // Whatever happened above, the slot comes back and the server hears once; in
                // that order, so a start or command sent on seeing shell_closed finds the slot.
                ReleaseSlot();
                PostClosed(reason, exit);
                LogEnded(Id, reason, exit?.ExitCode, exit?.SignalName, _bytesRead, _reads, _events);
                _stop.Dispose();
            }
        }
    }

    /// <summary>
    /// SIGHUP to what is left of the session, then waits until the shell and every process of
    /// its session are gone or <paramref name="grace"/> has passed, then SIGKILL to the rest.
    /// A shell still running <see cref="ShellSessionOptions.HangupRepeat"/> into the grace gets
    /// its SIGHUP once more (see there).
    /// </summary>
    private async Task EndSessionAsync(TimeSpan grace)
    {
        if (_processes is not null && SignalSession(PtySignal.Hangup) == 0 && _pty.Exited.IsCompleted)
        {
            return;
        }

        var start = _time.GetTimestamp();
        var deadline = start + (long)(grace.TotalSeconds * _time.TimestampFrequency);
        var repeat = start + (long)(_options.HangupRepeat.TotalSeconds * _time.TimestampFrequency);
        var repeated = _pty.Exited.IsCompleted;
        try
        {
            while (true)
            {
                var now = _time.GetTimestamp();
                var remaining = _time.GetElapsedTime(now, deadline);
                if (remaining <= TimeSpan.Zero)
                {
                    break;
                }

                if (!repeated && !_pty.Exited.IsCompleted && now >= repeat)
                {
                    repeated = true;
                    SignalGroup(PtySignal.Hangup);
                }

                if (_pty.Exited.IsCompleted)
                {
                    if (_processes is null || CountSession() == 0)
                    {
                        return;
                    }

                    // Leftovers: look again shortly.
                    await Task.Delay(Min(remaining, _options.SweepInterval), _time, _hurry.Token);
                    continue;
                }

                // Shell still running: its exit ends the wait early; leftovers are polled after.
                var wait = _processes is null ? remaining : Min(remaining, _options.SweepInterval);
                if (!repeated)
                {
                    wait = Min(wait, _time.GetElapsedTime(now, repeat)); // > 0: repeat is still ahead of now
                }

                await Task.WhenAny(_pty.Exited, Task.Delay(wait, _time, _hurry.Token));
                _hurry.Token.ThrowIfCancellationRequested();
            }
        }
        catch (OperationCanceledException) when (_hurry.IsCancellationRequested)
        {
            // Shutdown cut the grace short.
        }

        LogKilling(Id);
        Kill();
        await _pty.Exited;
        SignalSession(PtySignal.Kill);
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    /// <summary>SIGKILL to the shell's group and every process of its session.</summary>
    private void Kill()
    {
        SignalGroup(PtySignal.Kill);
        SignalSession(PtySignal.Kill);
    }

    private void SignalGroup(PtySignal signal)
    {
        try
        {
            _pty.SignalGroup(signal);
        }
        catch (PtyException ex)
        {
            LogSignalFailed(Id, signal, ex.Message);
        }
    }

    private int SignalSession(PtySignal signal)
    {
        if (_processes is null || _pty.Pid <= 1)
        {
            return 0;
        }

        try
        {
            return _processes.Signal(_pty.Pid, signal);
        }
        catch (IOException ex)
        {
            LogSignalFailed(Id, signal, ex.Message);
            return 0;
        }
    }

    private int CountSession()
    {
        try
        {
            return _processes is null || _pty.Pid <= 1 ? 0 : _processes.Count(_pty.Pid);
        }
        catch (IOException)
        {
            return 0;
        }
    }

    /// <summary>Posts <c>shell_closed</c> unless it was already posted: the one guard for "exactly once".</summary>
    private void PostClosed(string reason, PtyExit? exit)
    {
        if (Interlocked.Exchange(ref _closedPosted, 1) != 0)
        {
            return;
        }

        _outbox.PostDurable(ShellClosedEvent.Create(_encoder, Id, reason, exit));
        _audit.Write(new AuditEntry(AuditAction.ShellClosed, AuditOutcome.Ok) { Session = Id, Reason = reason });
    }

    private void ReleaseSlot()
    {
        if (Interlocked.Exchange(ref _slotReleased, 1) == 0)
        {
            _slot.Dispose();
        }
    }

    private async Task ObserveAsync(Task task)
    {
        try
        {
            await task;
        }
        catch (OperationCanceledException)
        {
        }
#pragma warning disable CA1031 // a pump or writer failure is logged; the session still ends properly
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogLoopFailed(ex, Id);
        }
    }

    private sealed record CloseRequest(string Reason, TimeSpan Grace, TimeSpan Drain);
}
