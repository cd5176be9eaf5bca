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
        var client = WebSocket.CreateFromStream(_clientTcp.GetStream(), new WebSocketCreationOptions { IsServer = false });
        _channel = new WebSocketChannel(client);
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
}
