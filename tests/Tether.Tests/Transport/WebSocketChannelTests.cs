using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using Tether.Transport;

namespace Tether.Tests.Transport;

/// <summary>A real WebSocket pair over a loopback TCP connection; the channel under test is the client side.</summary>
public sealed class WebSocketChannelTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);
    private TcpClient? _clientTcp;
    private TcpClient? _serverTcp;
    private WebSocket? _server;
    private OverlapDetectingWebSocket? _client;
    private WebSocketChannel? _channel;

    public async Task InitializeAsync()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        _clientTcp = new TcpClient();
        var accept = listener.AcceptTcpClientAsync();
        await _clientTcp.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        _serverTcp = await accept;
        listener.Stop();
        _server = WebSocket.CreateFromStream(_serverTcp.GetStream(), new WebSocketCreationOptions { IsServer = true });
        _client = new OverlapDetectingWebSocket(WebSocket.CreateFromStream(_clientTcp.GetStream(), new WebSocketCreationOptions { IsServer = false }));
        _channel = new WebSocketChannel(_client);
    }

    public Task DisposeAsync()
    {
        _channel?.Dispose();
        _server?.Dispose();
        _clientTcp?.Dispose();
        _serverTcp?.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task SendAsync_FromManyThreadsAtOnce_NeverOverlaps_AndEveryMessageArrivesWhole()
    {
        const int count = 200;
        var sends = Enumerable.Range(0, count).Select(i => Task.Run(async () =>
        {
            byte[] message = Encoding.ASCII.GetBytes(i.ToString("D4", System.Globalization.CultureInfo.InvariantCulture) + new string('x', (i % 7) * 10_000));
            await _channel!.SendAsync(message, CancellationToken.None);
        })).ToArray();

        var received = new HashSet<string>();
        var buffer = new byte[128 * 1024];
        using var cts = new CancellationTokenSource(Deadline);
        while (received.Count < count)
        {
            int length = 0;
            WebSocketReceiveResult result;
            do
            {
                result = await _server!.ReceiveAsync(new ArraySegment<byte>(buffer, length, buffer.Length - length), cts.Token);
                length += result.Count;
            }
            while (!result.EndOfMessage);

            string text = Encoding.ASCII.GetString(buffer, 0, length);
            int id = int.Parse(text[..4], System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(4 + ((id % 7) * 10_000), text.Length);
            Assert.True(received.Add(text[..4]));
        }

        await Task.WhenAll(sends).WaitAsync(Deadline);
        Assert.Equal(1, _client!.MaxConcurrentSends);
    }

    [Fact]
    public async Task ReceiveAsync_AssemblesAFragmentedMessage()
    {
        await _server!.SendAsync("42/agents,[\"pi"u8.ToArray(), WebSocketMessageType.Text, endOfMessage: false, CancellationToken.None);
        await _server.SendAsync("ng\",{\"ts\":1}]"u8.ToArray(), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        var into = new ArrayBufferWriter<byte>();
        Assert.Equal(ReceiveOutcome.Text, await _channel!.ReceiveAsync(into, 1024, CancellationToken.None));
        Assert.Equal("42/agents,[\"ping\",{\"ts\":1}]", Encoding.UTF8.GetString(into.WrittenSpan));
    }

    [Fact]
    public async Task ReceiveAsync_AMessageOverTheCap_IsDropped_AndTheNextOneStillArrives()
    {
        byte[] big = new byte[100_000];
        big.AsSpan().Fill((byte)'a');
        for (int i = 0; i < 4; i++)
        {
            await _server!.SendAsync(big, WebSocketMessageType.Text, endOfMessage: i == 3, CancellationToken.None);
        }

        await _server!.SendAsync("2"u8.ToArray(), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        var into = new ArrayBufferWriter<byte>();
        Assert.Equal(ReceiveOutcome.TooLarge, await _channel!.ReceiveAsync(into, 64 * 1024, CancellationToken.None));
        Assert.Equal(ReceiveOutcome.Text, await _channel.ReceiveAsync(into, 64 * 1024, CancellationToken.None));
        Assert.Equal("2", Encoding.UTF8.GetString(into.WrittenSpan));
    }

    [Fact]
    public async Task ReceiveAsync_ReportsBinaryAndClose()
    {
        await _server!.SendAsync(new byte[] { 1, 2, 3 }, WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None);
        var into = new ArrayBufferWriter<byte>();
        Assert.Equal(ReceiveOutcome.Binary, await _channel!.ReceiveAsync(into, 1024, CancellationToken.None));
        await _server.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
        Assert.Equal(ReceiveOutcome.Closed, await _channel.ReceiveAsync(into, 1024, CancellationToken.None));
    }

    /// <summary>
    /// ClientWebSocket allows one SendAsync at a time; .NET's managed implementation happens to
    /// queue extra ones, which would hide a missing lock, so this wrapper measures the overlap.
    /// </summary>
    private sealed class OverlapDetectingWebSocket(WebSocket inner) : WebSocket
    {
        private int _inFlight;
        private int _max;

        public int MaxConcurrentSends => Volatile.Read(ref _max);

        public override WebSocketCloseStatus? CloseStatus => inner.CloseStatus;

        public override string? CloseStatusDescription => inner.CloseStatusDescription;

        public override WebSocketState State => inner.State;

        public override string? SubProtocol => inner.SubProtocol;

        public override async ValueTask SendAsync(ReadOnlyMemory<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken)
        {
            int now = Interlocked.Increment(ref _inFlight);
            int seen;
            while (now > (seen = Volatile.Read(ref _max)) && Interlocked.CompareExchange(ref _max, now, seen) != seen)
            {
            }

            try
            {
                await Task.Delay(1, cancellationToken); // widen the window an overlap would need
                await inner.SendAsync(buffer, messageType, endOfMessage, cancellationToken);
            }
            finally
            {
                Interlocked.Decrement(ref _inFlight);
            }
        }

        public override Task SendAsync(ArraySegment<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken) =>
            SendAsync(buffer.AsMemory(), messageType, endOfMessage, cancellationToken).AsTask();

        public override ValueTask<ValueWebSocketReceiveResult> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken) => inner.ReceiveAsync(buffer, cancellationToken);

        public override Task<WebSocketReceiveResult> ReceiveAsync(ArraySegment<byte> buffer, CancellationToken cancellationToken) => inner.ReceiveAsync(buffer, cancellationToken);

        public override Task CloseAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) => inner.CloseAsync(closeStatus, statusDescription, cancellationToken);

        public override Task CloseOutputAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) => inner.CloseOutputAsync(closeStatus, statusDescription, cancellationToken);

        public override void Abort() => inner.Abort();

        public override void Dispose() => inner.Dispose();
    }
}
