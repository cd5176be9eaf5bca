using Microsoft.Extensions.Logging;
using Tether.Config;
using Tether.Kernel;
using Tether.Logging;
using Tether.Platform.HostStats;
using Tether.Platform.Memory;
using Tether.Platform.Processes;
using Tether.Platform.Pty;
using Tether.Protocol;
using Tether.Service;
using Tether.Shell;
using Tether.Telemetry;
using Tether.Transport;
using Tether.Update;

namespace Tether.Agent;

/// <summary>
/// Wires the agent for <c>tether run</c>: one connection, its dispatcher and outbox, and the
/// capabilities that register on them. Shutdown order (docs/protocol.md §7): capabilities stop and post
/// their final results, the connection drains them, says goodbye and closes; all within 5 s.
/// </summary>
internal sealed partial class AgentHost
{
    /// <summary>How long shutdown waits for queued results to reach the server.</summary>
    public static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(2);

    /// <summary>How long capabilities get to end their work at shutdown; with the drain and the close it stays under 5 s.</summary>
    public static readonly TimeSpan CapabilityShutdownBudget = TimeSpan.FromSeconds(1.5);

    /// <summary>How long after the first <c>hello_ack</c> start-up counts as over and its code pages are given back.</summary>
    public static readonly TimeSpan StartupSettled = TimeSpan.FromSeconds(10);

    private readonly AgentConfig _config;
    private readonly ILoggerFactory _loggers;
    private readonly IAuditLog _audit;
    private readonly TimeProvider _time;
    private readonly IServiceNotifier? _serviceNotifier;
    private readonly UpdateRuntime? _update;
    private readonly ILogger _log;

    /// <param name="serviceNotifier">The service manager to keep informed (systemd); null when there is none.</param>
    /// <param name="update">The update's state for this run (docs/protocol.md §10); null leaves <c>agent_update</c> unhandled.</param>
    public AgentHost(AgentConfig config, ILoggerFactory loggers, IAuditLog audit, TimeProvider time, IServiceNotifier? serviceNotifier = null, UpdateRuntime? update = null)
    {
        _update = update;
        _config = config;
        _loggers = loggers;
        _audit = audit;
        _time = time;
        _serviceNotifier = serviceNotifier;
        _log = loggers.CreateLogger<AgentHost>();
    }

    public async Task<int> RunAsync(CancellationToken stoppingToken)
    {
        var encoder = new EventFrameEncoder(_config.Transport.Namespace);
        var dispatcher = new EventDispatcher(_loggers.CreateLogger<EventDispatcher>());
        var outbox = new Outbox(_loggers.CreateLogger<Outbox>());
        var connection = new AgentConnection(
            ToConnectionOptions(_config),
            dispatcher,
            outbox,
            encoder,
            _time,
            new ReconnectBackoff(),
            _loggers.CreateLogger<AgentConnection>());

        var (latencyHost, latencyPort) = LatencyTarget(_config);
        var stats = new StatsReporter(
            new StatsCollector(HostStatsFactory.Create(), _time, AgentInfo.Version, _loggers.CreateLogger<StatsCollector>(), _config.Stats),
            new LatencyProbe(_time),
            outbox,
            encoder,
            new StatsReporterOptions(TimeSpan.FromSeconds(_config.StatsIntervalSec), latencyHost, latencyPort),
            _time,
            _loggers.CreateLogger<StatsReporter>(),
            _config.Stats.Containers
                ? new ContainerStatsSource(ContainerEngineSocket.Candidates(Environment.GetEnvironmentVariable("DOCKER_HOST")), _time, _loggers.CreateLogger<ContainerStatsSource>())
                : null);
        connection.Ready += stats.RequestNow;
        var firstReady = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.Ready += () => firstReady.TrySetResult();

        var context = new AgentContext(_config, dispatcher, encoder, outbox, connection, new ConcurrencySlots(_config.Admin.MaxConcurrent), _audit, _loggers, _time);
        List<IAgentCapability> capabilities = CreateCapabilities(context);
        if (_update is not null)
        {
            capabilities.Add(new UpdateCapability(context, _update));
        }

        LogStarting(AgentInfo.Version, _config.ClientId, _config.ServerUrlForLog);
        using var connectionStop = new CancellationTokenSource();
        using var statsStop = new CancellationTokenSource();
        Task statsLoop = stats.RunAsync(statsStop.Token);
        Task connectionLoop = connection.RunAsync(DrainTimeout, connectionStop.Token);
        // An installed update or a rollback stops the agent the same way a signal does; the caller restarts it.
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, _update?.RestartToken ?? CancellationToken.None);
        Task serviceLoop = _serviceNotifier?.RunAsync(connection, connectionLoop, stopping.Token) ?? Task.CompletedTask;
        Task startupTrim = ReleaseStartupPagesAsync(firstReady.Task, stopping.Token);
        try
        {
            await Task.Delay(Timeout.Infinite, stopping.Token);
        }
        catch (OperationCanceledException)
        {
        }

        // Shutdown: capabilities end their work and queue final results, then the connection
        // drains them and closes (docs/protocol.md §7).
        await statsStop.CancelAsync();
        using (var budget = new CancellationTokenSource(CapabilityShutdownBudget))
        {
            foreach (var capability in capabilities)
            {
                try
                {
                    await capability.ShutdownAsync(budget.Token);
                }
                catch (OperationCanceledException)
                {
                    LogCapabilityShutdownSlow(capability.GetType().Name);
                }
            }
        }

        await connectionStop.CancelAsync();
        await connectionLoop;
        await serviceLoop;
        try
        {
            await statsLoop;
        }
        catch (OperationCanceledException)
        {
        }

        try
        {
            await startupTrim;
        }
        catch (OperationCanceledException)
        {
        }

        LogStopped();
        return 0;
    }

    /// <summary>
    /// Start-up (configuration, command line, logging set-up, the first connection) runs code the
    /// agent never needs again; once connected and settled, the OS may drop those clean pages of
    /// the executable and its libraries. What the running agent still uses comes back on its next
    /// touch (docs/architecture.md "Memory").
    /// </summary>
    private async Task ReleaseStartupPagesAsync(Task firstReady, CancellationToken ct)
    {
        await firstReady.WaitAsync(ct);
        await Task.Delay(StartupSettled, _time, ct);
        var release = WorkingSet.ReleaseStartupPages();
        if (release.AdvisedBytes > 0)
        {
            LogStartupPagesReleased(release.AdvisedBytes / 1024, release.ResidentFileKiBBefore, release.ResidentFileKiBAfter);
        }
    }

    /// <summary>Every capability registers its handlers here; the list is what shutdown stops.</summary>
    private static List<IAgentCapability> CreateCapabilities(AgentContext context)
    {
        var shell = new ShellCapability(context, PtyFactory.Create(), ProcessSessionsFactory.Create());
        shell.Register();
        return [shell, Commands.AdminRunCapability.Create(context), Keys.KeySyncCapability.Create(context), new Backup.BackupCapability(context)];
    }

    /// <summary>The connection's view of the configuration.</summary>
    public static ConnectionOptions ToConnectionOptions(AgentConfig config) => new()
    {
        ServerUri = config.ServerUri,
        ClientId = config.ClientId,
        AuthToken = config.AuthToken,
        EnginePath = config.Transport.Path,
        Namespace = config.Transport.Namespace,
        CaFile = config.Transport.CaFile,
        SkipTlsVerify = config.Transport.SkipTlsVerify,
        MaxPayloadBytes = config.Transport.MaxPayloadBytes,
        HeartbeatInterval = TimeSpan.FromSeconds(config.HeartbeatIntervalSec),
        PongTimeout = TimeSpan.FromSeconds(config.PongTimeoutSec),
        ProxyFor = config.Proxy.ProxyFor,
    };

    /// <summary>The first hop: the proxy when one is used, else the server (docs/protocol.md §2).</summary>
    public static (string Host, int Port) LatencyTarget(AgentConfig config)
    {
        Uri target = config.Proxy.ProxyFor(config.ServerUri) ?? config.ServerUri;
        return (HostNames.Name(target), target.Port);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "tether {Version} starting as {ClientId} for {Server}")]
    private partial void LogStarting(string version, string clientId, string server);

    [LoggerMessage(Level = LogLevel.Warning, Message = "shutdown: {Capability} did not finish in time")]
    private partial void LogCapabilityShutdownSlow(string capability);

    [LoggerMessage(Level = LogLevel.Information, Message = "start-up over: start-up pages of the executable and its libraries given back ({KiB} KiB of read-only mappings advised; file-backed resident {BeforeKiB} KiB -> {AfterKiB} KiB)")]
    private partial void LogStartupPagesReleased(long kiB, long beforeKiB, long afterKiB);

    [LoggerMessage(Level = LogLevel.Information, Message = "tether stopped")]
    private partial void LogStopped();
}
