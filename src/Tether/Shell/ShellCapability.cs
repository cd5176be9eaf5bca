using Microsoft.Extensions.Logging;
using Tether.Kernel;
using Tether.Logging;
using Tether.Platform.Processes;
using Tether.Platform.Pty;
using Tether.Protocol;

namespace Tether.Shell;

/// <summary>
/// The remote terminal (docs/protocol.md §3 <c>shell_*</c>): starts shells in PTYs on <c>shell_start</c>,
/// routes input, resizes and closes to them, keeps them through a short connection loss
/// (<c>ShellCapability.Grace.cs</c>) and ends them at shutdown.
/// </summary>
/// <remarks>
/// Thread-safety: handlers run on the receive loop one at a time; sessions end on other threads,
/// and the grace timer fires on the pool, so the session table is guarded by <see cref="_gate"/>.
/// </remarks>
internal sealed partial class ShellCapability : IAgentCapability
{
    /// <summary>Distinct unknown members warned about; beyond that they are ignored silently.</summary>
    private const int MaxWarnedMembers = 64;

    private readonly AgentContext _context;
    private readonly IPty? _pty;
    private readonly IProcessSessions? _processes;
    private readonly ShellSessionOptions _sessionOptions;
    private readonly ILogger _log;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ShellSession> _sessions = new(StringComparer.Ordinal);
    private readonly HashSet<string> _warnedMembers = new(StringComparer.Ordinal);
    private readonly OwnedTasks _bookkeeping;
    private bool _shuttingDown;

    public ShellCapability(AgentContext context, IPty? pty, IProcessSessions? processes, ShellSessionOptions? sessionOptions = null)
    {
        _context = context;
        _pty = pty;
        _processes = processes;
        _sessionOptions = sessionOptions ?? new ShellSessionOptions
        {
            OutputEncoding = context.Config.Shell.OutputEncoding,
            MaxPayloadBytes = context.Config.Transport.MaxPayloadBytes,
        };
        _log = context.Loggers.CreateLogger<ShellCapability>();
        _bookkeeping = new OwnedTasks(LogBookkeepingFailed);
        _graceAfterLoss = TimeSpan.FromSeconds(context.Config.Shell.ReconnectGraceSec);
    }

    /// <summary>Sessions open now (tests and shutdown).</summary>
    public int OpenCount
    {
        get
        {
            lock (_gate)
            {
                return _sessions.Count;
            }
        }
    }

    /// <summary>Registers the <c>shell_*</c> handlers and the connection hooks; call once.</summary>
    public void Register()
    {
        if (_context.Config.Admin.EnableShell)
        {
            // docs/protocol.md §3: on by default for drop-in compatibility, so say so at every start.
            LogShellEnabled(Environment.UserName);
        }

        _context.Dispatcher.On("shell_start", (e, _) => Handle(e, OnStart));
        _context.Dispatcher.On("shell_input", (e, _) => Handle(e, OnInput));
        _context.Dispatcher.On("shell_resize", (e, _) => Handle(e, OnResize));
        _context.Dispatcher.On("shell_close", (e, _) => Handle(e, OnClose));
        _context.Connection.Lost += OnConnectionLost;
        _context.Connection.Ready += OnConnectionReady;
    }

    public async Task ShutdownAsync(CancellationToken ct)
    {
        List<ShellSession> open;
        lock (_gate)
        {
            _shuttingDown = true;
            StopGraceTimerLocked();
            open = [.. _sessions.Values];
        }

        foreach (var session in open)
        {
            session.RequestClose(ShellClosedEvent.ShuttingDown, urgent: true);
        }

        try
        {
            await Task.WhenAll(open.Select(s => s.Completion)).WaitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            // Out of budget: every shell is reported and killed now rather than never.
            foreach (var session in open)
            {
                session.AbandonForShutdown();
            }

            throw;
        }
    }

    private static ValueTask Handle(InboundEvent e, Action<InboundEvent> handler)
    {
        handler(e);
        return ValueTask.CompletedTask;
    }

    private void OnStart(InboundEvent e)
    {
        if (!ShellStartRequest.TryParse(e.Payload, out var request, out var error, out var unknown))
        {
            LogInvalid("shell_start", error);
            return;
        }

        WarnUnknownMember("shell_start", unknown);

        lock (_gate)
        {
            if (_sessions.ContainsKey(request.Session))
            {
                // docs/protocol.md §3: the open session is untouched and still ends with its one shell_closed.
                LogDuplicateStart(request.Session);
                return;
            }

            if (_shuttingDown)
            {
                Refuse(request.Session, ShellClosedEvent.ShuttingDown);
                return;
            }
        }

        if (!_context.Config.Admin.EnableShell)
        {
            Refuse(request.Session, ShellClosedEvent.ShellDisabled);
            return;
        }

        if (_pty is null)
        {
            Refuse(request.Session, ShellClosedEvent.PtyUnavailable);
            return;
        }

        var slot = _context.Slots.TryAcquire();
        if (slot is null)
        {
            Refuse(request.Session, ShellClosedEvent.Busy);
            return;
        }

        IPtySession pty;
        ShellOutputEncoder output;
        try
        {
            // Built first: it checks that a frame of this session fits maxPayloadBytes at all.
            output = new ShellOutputEncoder(_context.Encoder, request.Session, _sessionOptions.OutputEncoding, _sessionOptions.MaxPayloadBytes);
            pty = _pty.Start(BuildStartOptions(request));
        }
        catch (PtyUnavailableException ex)
        {
            // No PTY support on this machine at all (Windows without ConPTY): docs/protocol.md §3's reason.
            slot.Dispose();
            LogStartFailed(request.Session, ex.Message);
            Refuse(request.Session, ShellClosedEvent.PtyUnavailable);
            return;
        }
        catch (Exception ex) when (ex is PtyException or ArgumentException or IOException or UnauthorizedAccessException)
        {
            slot.Dispose();
            LogStartFailed(request.Session, ex.Message);
            var reason = "start failed: " + ex.Message;
            _context.Outbox.PostDurable(ShellClosedEvent.Create(_context.Encoder, request.Session, reason, exit: null));
            _context.Audit.Write(new AuditEntry(AuditAction.ShellStart, AuditOutcome.Failed) { Session = request.Session, Reason = reason });
            return;
        }

        var session = new ShellSession(
            request.Session,
            pty,
            _processes,
            slot,
            _context.Outbox,
            _context.Encoder,
            _context.Audit,
            _context.Time,
            _context.Loggers.CreateLogger<ShellSession>(),
            _sessionOptions,
            output);
        lock (_gate)
        {
            _sessions.Add(request.Session, session);
        }

        session.Start();
        _bookkeeping.Run(() => ForgetWhenDoneAsync(session));
        _context.Audit.Write(new AuditEntry(AuditAction.ShellStart, AuditOutcome.Ok) { Session = request.Session });
        LogStarted(request.Session, pty.Pid, request.Columns, request.Rows);
    }

    private async Task ForgetWhenDoneAsync(ShellSession session)
    {
        // Completion never faults (the session's lifetime catches everything).
        await session.Completion;
        lock (_gate)
        {
            if (_sessions.TryGetValue(session.Id, out var current) && ReferenceEquals(current, session))
            {
                _sessions.Remove(session.Id);
            }
        }
    }

    private PtyStartOptions BuildStartOptions(ShellStartRequest request)
    {
        var (file, args) = _context.Config.Shell.ResolveCommand();
        var home = ShellEnvironment.ResolveHome();
        var environment = ShellEnvironment.Build(Environment.GetEnvironmentVariables(), home, Environment.UserName, file, ChildEnvironmentPlatform.Current);
        return new PtyStartOptions(file, args, environment, home, request.Columns, request.Rows);
    }

    private void Refuse(string session, string reason)
    {
        LogRefused(session, reason);
        _context.Outbox.PostDurable(ShellClosedEvent.Create(_context.Encoder, session, reason, exit: null));
        _context.Audit.Write(new AuditEntry(AuditAction.ShellStart, AuditOutcome.Refused) { Session = session, Reason = reason });
    }

    private void OnInput(InboundEvent e)
    {
        if (!ShellInputRequest.TryParse(e.Payload, out var request, out var error))
        {
            LogInvalid("shell_input", error);
            return;
        }

        WarnUnknownMember("shell_input", ShellPayload.FirstUnknownMember(e.Payload, "session", "data", "encoding"));

        if (Find(request.Session) is not { } session)
        {
            LogUnknownSession("shell_input", request.Session);
            return;
        }

        if (!session.EnqueueInput(request.Data))
        {
            LogInputDropped(request.Session, request.Data.Length);
        }
    }

    private void OnResize(InboundEvent e)
    {
        if (!ShellResizeRequest.TryParse(e.Payload, out var request, out var error))
        {
            LogInvalid("shell_resize", error);
            return;
        }

        WarnUnknownMember("shell_resize", ShellPayload.FirstUnknownMember(e.Payload, "session", "cols", "rows"));

        if (Find(request.Session) is not { } session)
        {
            LogUnknownSession("shell_resize", request.Session);
            return;
        }

        session.Resize(request.Columns, request.Rows);
    }

    private void OnClose(InboundEvent e)
    {
        if (!ShellCloseRequest.TryParse(e.Payload, out var request, out var error))
        {
            LogInvalid("shell_close", error);
            return;
        }

        WarnUnknownMember("shell_close", ShellPayload.FirstUnknownMember(e.Payload, "session"));

        if (Find(request.Session) is not { } session)
        {
            LogUnknownSession("shell_close", request.Session);
            return;
        }

        session.RequestClose(ShellClosedEvent.Closed, urgent: false);
    }

    /// <summary>
    /// docs/protocol.md §3 asks for a warning on extra members; the event is still handled (dashboards
    /// add fields of their own). Once per event and member, so keystrokes do not flood the log.
    /// </summary>
    private void WarnUnknownMember(string eventName, string? member)
    {
        if (member is null)
        {
            return;
        }

        lock (_gate)
        {
            if (_warnedMembers.Count >= MaxWarnedMembers || !_warnedMembers.Add(eventName + "." + member))
            {
                return;
            }
        }

        LogUnknownMember(eventName, member);
    }

    private ShellSession? Find(string id)
    {
        lock (_gate)
        {
            return _sessions.GetValueOrDefault(id);
        }
    }
}
