using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Tether.Protocol;

namespace Tether.Transport;

/// <summary>
/// Owns the one connection to the dashboard: connect with a fresh signature, socket.io handshake,
/// receive/send/watchdog loops, and reconnect with backoff after every drop, whoever caused it
/// (docs/protocol.md §2). Capabilities never see the socket: they register handlers on the
/// <see cref="EventDispatcher"/> and post to the <see cref="Outbox"/>.
/// Thread-safety: <see cref="RunAsync"/> is called once; the events are raised on the loop.
/// </summary>
internal sealed partial class AgentConnection : IConnectionStatus
{
    private readonly ConnectionOptions _options;
    private readonly EventDispatcher _dispatcher;
    private readonly Outbox _outbox;
    private readonly EventFrameEncoder _encoder;
    private readonly TimeProvider _time;
    private readonly ReconnectBackoff _backoff;
    private readonly ILogger _log;
    private readonly WebSocketConnector _connector;

    // Set once shutdown has begun: the server's answering close is then expected, not news.
    private volatile bool _closing;

    public AgentConnection(ConnectionOptions options, EventDispatcher dispatcher, Outbox outbox, EventFrameEncoder encoder, TimeProvider time, ReconnectBackoff backoff, ILogger<AgentConnection> log)
    {
        _options = options;
        _dispatcher = dispatcher;
        _outbox = outbox;
        _encoder = encoder;
        _time = time;
        _backoff = backoff;
        _log = log;
        _connector = new WebSocketConnector(new OutboundConnection(options.CaFile, options.SkipTlsVerify, options.ProxyFor, options.PhaseTimeout));
        dispatcher.On("hello_ack", OnHelloAckAsync);
        dispatcher.On("ping", OnPingAsync);
    }

    /// <summary>Raised when the server acknowledged the agent (<c>hello_ack</c>) on a connection.</summary>
    public event Action? Ready;

    /// <summary>Raised when an established connection is gone.</summary>
    public event Action? Lost;

    /// <inheritdoc/>
    public bool IsReady => _outbox.IsReady;

    /// <summary>Attempts made so far; each one had its own <c>ts</c> and <c>sig</c>.</summary>
    public int Attempts { get; private set; }

    /// <summary>
    /// Connects and reconnects until <paramref name="stoppingToken"/> fires; then drains pending
    /// results (bounded by <paramref name="drainTimeout"/>), says goodbye and closes cleanly.
    /// </summary>
    public async Task RunAsync(TimeSpan drainTimeout, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            DateTimeOffset? upSince = null;
            try
            {
                upSince = await RunOnceAsync(drainTimeout, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
#pragma warning disable CA1031 // any failure of one attempt is logged and retried: a type not foreseen here (an SSPI Win32Exception under Wine) once ended the loop silently, leaving the agent offline for good
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogConnectFailed(DescribeFailure(ex));
            }

            if (stoppingToken.IsCancellationRequested)
            {
                break;
            }

            if (upSince is { } since && _time.GetUtcNow() - since >= ReconnectBackoff.StableAfter)
            {
                _backoff.Reset();
            }

            TimeSpan delay = _backoff.Next();
            LogReconnectIn(delay.TotalSeconds);
            try
            {
                await Task.Delay(delay, _time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        if (_outbox.DurableCount > 0)
        {
            LogUndelivered(_outbox.DurableCount);
        }
    }

    private static string DescribeFailure(Exception ex)
    {
        // Inner exceptions carry the useful part (refused, TLS, DNS); never the URL with its query.
        var parts = new List<string>();
        for (Exception? e = ex; e is not null && parts.Count < 4; e = e.InnerException)
        {
            if (!string.IsNullOrWhiteSpace(e.Message) && !parts.Contains(e.Message))
            {
                parts.Add(e.Message);
            }
        }

        return string.Join(": ", parts);
    }

    /// <returns>When the socket.io connection was established, or null if it never was.</returns>
    private async Task<DateTimeOffset?> RunOnceAsync(TimeSpan drainTimeout, CancellationToken stoppingToken)
    {
        Attempts++;
        long ts = _time.GetUtcNow().ToUnixTimeMilliseconds();
        string sig = HandshakeSigner.Sign(_options.ClientId, ts, _options.AuthToken);
        Uri uri = EngineEndpoint.Build(_options.ServerUri, _options.EnginePath, _options.ClientId, ts, sig);
        string safeAddress = EngineEndpoint.BaseAddress(_options.ServerUri, _options.EnginePath);
        WarnAboutInsecureSettings(safeAddress);

        LogConnecting(safeAddress, Attempts);
        using var channel = new WebSocketChannel(await _connector.ConnectAsync(uri, stoppingToken));
        var buffer = new ArrayBufferWriter<byte>(4096);
        EngineOpenInfo open;
        using (var handshakeCts = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken))
        {
            handshakeCts.CancelAfter(_options.HandshakeTimeout);
            open = await ReadOpenAsync(channel, buffer, handshakeCts.Token);
            await channel.SendAsync(SocketPacketCodec.EncodeConnect(_options.Namespace, WriteAuth(ts, sig)), handshakeCts.Token);
            string? refusal = await AwaitConnectAckAsync(channel, buffer, handshakeCts.Token);
            if (refusal is not null)
            {
                LogConnectRefused(refusal);
                await channel.CloseAsync(TimeSpan.FromSeconds(1));
                return null;
            }
        }

        DateTimeOffset upSince = _time.GetUtcNow();
        LogConnected(safeAddress, open.PingInterval.TotalMilliseconds, open.PingTimeout.TotalMilliseconds);
        var liveness = new LivenessMonitor(open.PingInterval, open.PingTimeout, _options.HeartbeatInterval, _options.PongTimeout, upSince);
        _outbox.OnConnected();
        using var connCts = new CancellationTokenSource();
        Task receive = ReceiveLoopAsync(channel, buffer, liveness, connCts.Token);
        Task send = SendLoopAsync(channel, liveness, connCts.Token);
        Task watchdog = WatchdogLoopAsync(liveness, connCts.Token);
        Task stopping = Task.Delay(Timeout.Infinite, stoppingToken);
        try
        {
            Task first = await Task.WhenAny(receive, send, watchdog, stopping);
            if (first == stopping)
            {
                await DrainAndSayGoodbyeAsync(channel, drainTimeout);
            }
            else if (first.IsFaulted)
            {
                LogConnectionDropped(DescribeFailure(first.Exception!.GetBaseException()));
            }
        }
        finally
        {
            await connCts.CancelAsync();
            _outbox.OnDisconnected();
            await ObserveAsync(receive, send, watchdog);
            await channel.CloseAsync(TimeSpan.FromSeconds(1));
            Lost?.Invoke();
        }

        return upSince;
    }

    private Action<Utf8JsonWriter> WriteAuth(long ts, string sig) => w =>
    {
        w.WriteString("clientId", _options.ClientId);
        w.WriteNumber("ts", ts);
        w.WriteString("sig", sig);
    };

    private void WarnAboutInsecureSettings(string safeAddress)
    {
        if (_options.SkipTlsVerify)
        {
            LogInsecureTls(safeAddress);
        }

        if (_options.ServerUri.Scheme == Uri.UriSchemeHttp && !EngineEndpoint.IsLoopback(_options.ServerUri))
        {
            LogPlainText(safeAddress);
        }
    }

    private static async Task ObserveAsync(params Task[] tasks)
    {
        foreach (var task in tasks)
        {
            try
            {
                await task;
            }
#pragma warning disable CA1031 // loops end by cancellation or by the failure already logged
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }
    }
}
