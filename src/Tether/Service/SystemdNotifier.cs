using Microsoft.Extensions.Logging;
using Tether.Platform.ServiceHost;
using Tether.Transport;

namespace Tether.Service;

/// <summary>
/// sd_notify(3) for <c>Type=notify</c> units, written by hand: Microsoft.Extensions.Hosting.Systemd
/// would bring the generic host (DI container, configuration, hosted services) into an agent
/// whose idle RSS we fight for, to send a handful of datagrams.
/// </summary>
/// <remarks>
/// <para>Messages: <c>STATUS=connecting</c> at start; <c>READY=1</c> with <c>STATUS=connected to
/// host</c> at the first <c>hello_ack</c> (Type=notify then means "the dashboard knows this agent");
/// <c>STATUS=reconnecting</c> when a connection is lost; <c>STOPPING=1</c> the moment shutdown
/// begins; <c>WATCHDOG=1</c> every <c>WATCHDOG_USEC</c>/2 while the connection loop runs.</para>
/// <para>Start grace: when no <c>hello_ack</c> came within <see cref="StartGrace"/>, <c>READY=1</c>
/// is sent anyway with a <c>STATUS</c> that says so. Without it a dashboard that is down would
/// keep the unit "activating": systemd kills it at TimeoutStartSec and restarts it in a loop, or,
/// with TimeoutStartSec=infinity, <c>multi-user.target</c> never completes and
/// <c>systemctl start|restart tether</c> (package upgrades) hangs until the dashboard returns.
/// The unit file's TimeoutStartSec stays above the grace.</para>
/// <para>Watchdog: a periodic timer, not the connection loop itself: that loop may legitimately
/// sleep 30 s in backoff or wait minutes for traffic. The timer pings only while the connection
/// loop task has not ended, so a loop that died without shutdown (a bug) stops the pings and
/// systemd restarts the agent; a ping also proves the thread pool and timers still run.</para>
/// <para>Send failures are logged once as a warning, later ones at Debug, and are never fatal.
/// Thread-safe: events arrive on the connection loop, the stop callback on the signal thread,
/// timers on the thread pool; state is changed with <see cref="Interlocked"/> only.</para>
/// </remarks>
internal sealed partial class SystemdNotifier : IServiceNotifier, IDisposable
{
    /// <summary>How long after start <c>READY=1</c> waits for the first <c>hello_ack</c>.</summary>
    public static readonly TimeSpan StartGrace = TimeSpan.FromSeconds(30);

    private static readonly string[] OwnVariables = ["NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID"];

    private readonly INotifySink _sink;
    private readonly string _server;
    private readonly TimeSpan? _watchdogInterval;
    private readonly TimeSpan _startGrace;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private int _readySent;
    private int _stopping;
    private int _sendFailures;

    /// <param name="server">How STATUS names the dashboard: host and port, never the query.</param>
    public SystemdNotifier(INotifySink sink, string server, TimeSpan? watchdogInterval, TimeSpan startGrace, TimeProvider time, ILogger<SystemdNotifier> log)
    {
        _sink = sink;
        _server = server;
        _watchdogInterval = watchdogInterval;
        _startGrace = startGrace;
        _time = time;
        _log = log;
    }

    /// <summary>
    /// The notifier for a process systemd started with <c>NOTIFY_SOCKET</c>; null when the
    /// variable is unset or unusable, or not on Linux. Removes <c>NOTIFY_SOCKET</c>,
    /// <c>WATCHDOG_USEC</c> and <c>WATCHDOG_PID</c> from the environment, as sd_notify's
    /// <c>unset_environment</c> does, so no child (rsync and ssh inherit the agent's environment;
    /// shells and admin commands get minimal ones anyway) can talk to systemd for the unit.
    /// </summary>
    public static SystemdNotifier? FromEnvironment(Uri server, TimeProvider time, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(loggers);
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        string? socket = Environment.GetEnvironmentVariable("NOTIFY_SOCKET");
        string? usec = Environment.GetEnvironmentVariable("WATCHDOG_USEC");
        string? pid = Environment.GetEnvironmentVariable("WATCHDOG_PID");
        foreach (string name in OwnVariables)
        {
            Environment.SetEnvironmentVariable(name, null);
        }

        var log = loggers.CreateLogger<SystemdNotifier>();
        if (!NotifySocketAddress.TryParse(socket, out string? socketPath, out string? error))
        {
            LogUnusableEnvironment(log, error);
            return null;
        }

        if (socketPath is null)
        {
            return null;
        }

        if (!WatchdogSettings.TryParse(usec, pid, Environment.ProcessId, out TimeSpan? watchdog, out error))
        {
            LogUnusableEnvironment(log, error);
        }

        INotifySink sink;
        try
        {
            sink = NotifySinks.OpenDatagram(socketPath);
        }
        catch (Exception ex) when (ex is System.Net.Sockets.SocketException or ArgumentException or PlatformNotSupportedException)
        {
            LogUnusableEnvironment(log, "cannot create the notification socket: " + ex.Message);
            return null;
        }

        LogEnabled(log, socket!, watchdog?.TotalSeconds ?? 0);
        return new SystemdNotifier(sink, server.Authority, watchdog, StartGrace, time, log);
    }

    public async Task RunAsync(IConnectionStatus connection, Task connectionLoop, CancellationToken stoppingToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(connectionLoop);
        connection.Ready += OnReady;
        connection.Lost += OnLost;
        try
        {
            using var stopRegistration = stoppingToken.Register(OnStopping);
            if (!stoppingToken.IsCancellationRequested)
            {
                Send(SystemdMessages.Connecting(_server));
            }

            // The connection loop started just before us; a hello_ack handled in between is not missed.
            if (connection.IsReady)
            {
                OnReady();
            }

            // Subscribed until shutdown, whether or not the grace and the watchdog are still running.
            await Task.WhenAll(StartGraceAsync(stoppingToken), WatchdogAsync(connectionLoop, stoppingToken), Task.Delay(Timeout.Infinite, stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            // Our registration may be disposed before its callback ran: callbacks run newest
            // first, so the delays above can end this method first. OnStopping sends once.
            if (stoppingToken.IsCancellationRequested)
            {
                OnStopping();
            }

            connection.Ready -= OnReady;
            connection.Lost -= OnLost;
        }
    }

    public void Dispose() => _sink.Dispose();

    private void OnReady()
    {
        if (Volatile.Read(ref _stopping) != 0)
        {
            return;
        }

        Send(Interlocked.Exchange(ref _readySent, 1) == 0 ? SystemdMessages.Ready(_server) : SystemdMessages.Connected(_server));
    }

    private void OnLost()
    {
        // Shutdown closes the connection too; that is not a reconnect.
        if (Volatile.Read(ref _stopping) == 0)
        {
            Send(SystemdMessages.Reconnecting(_server));
        }
    }

    private void OnStopping()
    {
        if (Interlocked.Exchange(ref _stopping, 1) == 0)
        {
            Send(SystemdMessages.Stopping);
        }
    }

    private async Task StartGraceAsync(CancellationToken ct)
    {
        await Task.Delay(_startGrace, _time, ct);
        if (Volatile.Read(ref _stopping) == 0 && Interlocked.Exchange(ref _readySent, 1) == 0)
        {
            LogReadyWithoutConnection(_startGrace.TotalSeconds, _server);
            Send(SystemdMessages.ReadyWithoutConnection(_server, _startGrace));
        }
    }

    private async Task WatchdogAsync(Task connectionLoop, CancellationToken ct)
    {
        if (_watchdogInterval is not { } interval)
        {
            return;
        }

        using var timer = new PeriodicTimer(interval, _time);
        while (await timer.WaitForNextTickAsync(ct))
        {
            if (connectionLoop.IsCompleted)
            {
                if (!ct.IsCancellationRequested)
                {
                    LogWatchdogWithheld();
                }

                return;
            }

            Send(SystemdMessages.Watchdog);
        }
    }

    private void Send(string message)
    {
        if (_sink.TrySend(message, out string? error))
        {
            return;
        }

        if (Interlocked.Increment(ref _sendFailures) == 1)
        {
            LogSendFailed(error);
        }
        else
        {
            LogSendFailedAgain(error);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "systemd notification is off: {Reason}")]
    private static partial void LogUnusableEnvironment(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "systemd notification to {Socket}; watchdog ping every {WatchdogSec} s (0: off)")]
    private static partial void LogEnabled(ILogger logger, string socket, double watchdogSec);

    [LoggerMessage(Level = LogLevel.Information, Message = "no hello_ack within {GraceSec} s; told systemd the agent is started anyway and keep trying {Server}")]
    private partial void LogReadyWithoutConnection(double graceSec, string server);

    [LoggerMessage(Level = LogLevel.Error, Message = "the connection loop has ended without a shutdown; watchdog pings stop so systemd restarts the agent")]
    private partial void LogWatchdogWithheld();

    [LoggerMessage(Level = LogLevel.Warning, Message = "systemd notification failed: {Error} (later failures are logged at Debug)")]
    private partial void LogSendFailed(string error);

    [LoggerMessage(Level = LogLevel.Debug, Message = "systemd notification failed: {Error}")]
    private partial void LogSendFailedAgain(string error);
}
