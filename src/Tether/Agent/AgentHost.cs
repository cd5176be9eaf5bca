using Microsoft.Extensions.Logging;
using Tether.Config;
using Tether.Platform;
using Tether.Protocol;
using Tether.Telemetry;
using Tether.Transport;

namespace Tether.Agent;

/// <summary>
/// Wires the agent for <c>tether run</c>: one connection, its dispatcher and outbox, and the
/// capabilities that register on them. Shutdown order (CONTRACT §7): capabilities stop and post
/// their final results, the connection drains them, says goodbye and closes; all within 5 s.
/// </summary>
internal sealed partial class AgentHost
{
    /// <summary>How long shutdown waits for queued results to reach the server.</summary>
    public static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(2);

    private readonly AgentConfig _config;
    private readonly ILoggerFactory _loggers;
    private readonly TimeProvider _time;
    private readonly ILogger _log;

    public AgentHost(AgentConfig config, ILoggerFactory loggers, TimeProvider time)
    {
        _config = config;
        _loggers = loggers;
        _time = time;
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
            new StatsCollector(HostStatsFactory.Create(), _time, AgentInfo.Version, _loggers.CreateLogger<StatsCollector>()),
            new LatencyProbe(_time),
            outbox,
            encoder,
            new StatsReporterOptions(TimeSpan.FromSeconds(_config.StatsIntervalSec), latencyHost, latencyPort),
            _time,
            _loggers.CreateLogger<StatsReporter>());
        connection.Ready += stats.RequestNow;

        LogStarting(AgentInfo.Version, _config.ClientId, _config.ServerUrlForLog);
        using var capabilitiesCts = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        Task statsLoop = stats.RunAsync(capabilitiesCts.Token);
        await connection.RunAsync(DrainTimeout, stoppingToken);
        await capabilitiesCts.CancelAsync();
        try
        {
            await statsLoop;
        }
        catch (OperationCanceledException)
        {
        }

        LogStopped();
        return 0;
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

    /// <summary>The first hop: the proxy when one is used, else the server (CONTRACT §2).</summary>
    public static (string Host, int Port) LatencyTarget(AgentConfig config)
    {
        Uri target = config.Proxy.ProxyFor(config.ServerUri) ?? config.ServerUri;
        return (target.IdnHost.Trim('[', ']'), target.Port);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "tether {Version} starting as {ClientId} for {Server}")]
    private partial void LogStarting(string version, string clientId, string server);

    [LoggerMessage(Level = LogLevel.Information, Message = "tether stopped")]
    private partial void LogStopped();
}
