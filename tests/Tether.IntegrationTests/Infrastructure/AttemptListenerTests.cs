using System.Net.Sockets;
using System.Text;

namespace Tether.IntegrationTests.Infrastructure;

/// <summary>The broken servers of <see cref="AttemptListener"/> behave as documented and count what clients send.</summary>
public sealed class AttemptListenerTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private const string Request =
        "GET /socket.io/?EIO=4&transport=websocket&clientId=a&ts=1&sig=x HTTP/1.1\r\n" +
        "Host: 127.0.0.1\r\n" +
        "Upgrade: websocket\r\n" +
        "Connection: Upgrade\r\n" +
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n" +
        "Sec-WebSocket-Version: 13\r\n" +
        "\r\n";

    [Fact]
    public async Task TwoRequestsOnOneConnection_AreBothCounted_AndTheFirstIsParsed()
    {
        await using var listener = new AttemptListener(AttemptBehaviour.NeverAnswer);
        using (var client = await ConnectAsync(listener))
        {
            await SendAsync(client, Request + Request.Replace("ts=1", "ts=2", StringComparison.Ordinal));
        }

        var connection = Assert.Single(await listener.WaitForCompletedAsync(1, Timeout));
        Assert.Equal(2, connection.RequestLines.Count);
        Assert.Equal("1", connection.Query["ts"]);
        Assert.Equal("/socket.io/", connection.Path);
        Assert.Equal(["websocket"], connection.HeaderValues("upgrade"));
        Assert.Equal(2 * Request.Length, connection.BytesReceived);
    }

    [Fact]
    public async Task CloseAfterRequestLine_ClosesWithoutAnswering_ButStillRecordsWhatFollows()
    {
        await using var listener = new AttemptListener(AttemptBehaviour.CloseAfterRequestLine);
        using (var client = await ConnectAsync(listener))
        {
            await SendAsync(client, "GET / HTTP/1.1\r\n");
            Assert.Equal(string.Empty, await ReadToEndAsync(client));
            await SendAsync(client, "Host: x\r\n\r\nGET /again HTTP/1.1\r\n\r\n");
        }

        var connection = Assert.Single(await listener.WaitForCompletedAsync(1, Timeout));
        Assert.Equal(["GET / HTTP/1.1", "GET /again HTTP/1.1"], connection.RequestLines);
    }

    [Fact]
    public async Task BadGateway_AnswersStatusAndBody_ThenClosesItsSide()
    {
        await using var listener = new AttemptListener(AttemptBehaviour.BadGateway);
        using var client = await ConnectAsync(listener);
        await SendAsync(client, Request);

        string answer = await ReadToEndAsync(client);
        Assert.StartsWith("HTTP/1.1 502 Bad Gateway\r\n", answer, StringComparison.Ordinal);
        Assert.EndsWith("\r\n\r\n" + AttemptListener.BadGatewayBody, answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongAccept_Answers101_WithAnAcceptThatDoesNotMatchTheKey()
    {
        await using var listener = new AttemptListener(AttemptBehaviour.WrongAccept);
        using (var client = await ConnectAsync(listener))
        {
            await SendAsync(client, Request.Replace("dGhlIHNhbXBsZSBub25jZQ==", "AAAAAAAAAAAAAAAAAAAAAA==", StringComparison.Ordinal));
            string head = await ReadHeadAsync(client);
            Assert.StartsWith("HTTP/1.1 101 Switching Protocols\r\n", head, StringComparison.Ordinal);
            Assert.Contains("\r\nUpgrade: websocket\r\n", head, StringComparison.Ordinal);
            Assert.Contains("\r\nConnection: Upgrade\r\n", head, StringComparison.Ordinal);
            Assert.DoesNotContain(AttemptConnection.AcceptFor("AAAAAAAAAAAAAAAAAAAAAA=="), head, StringComparison.Ordinal);
        }

        var connection = Assert.Single(await listener.WaitForCompletedAsync(1, Timeout));
        Assert.NotEqual(AttemptConnection.AcceptFor(connection.HeaderValues("Sec-WebSocket-Key")[0]), connection.SentAccept);
    }

    [Fact]
    public async Task DrainAcceptQueue_AcceptsEveryEarlierConnection_AndDoesNotCountItsProbe()
    {
        await using var listener = new AttemptListener(AttemptBehaviour.NeverAnswer);
        await listener.DrainAcceptQueueAsync(Timeout);
        Assert.Equal(0, listener.AcceptedCount);

        using var client = await ConnectAsync(listener);
        await listener.DrainAcceptQueueAsync(Timeout);
        Assert.Equal(1, listener.AcceptedCount);
    }

    private static async Task<Socket> ConnectAsync(AttemptListener listener)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(listener.EndPoint);
        return socket;
    }

    private static async Task SendAsync(Socket socket, string text) =>
        await socket.SendAsync(Encoding.ASCII.GetBytes(text), SocketFlags.None);

    private static async Task<string> ReadToEndAsync(Socket socket)
    {
        using var cts = new CancellationTokenSource(Timeout);
        var received = new MemoryStream();
        var buffer = new byte[1024];
        int n;
        while ((n = await socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token)) > 0)
        {
            received.Write(buffer, 0, n);
        }

        return Encoding.ASCII.GetString(received.ToArray());
    }

    private static async Task<string> ReadHeadAsync(Socket socket)
    {
        using var cts = new CancellationTokenSource(Timeout);
        var received = new StringBuilder();
        var buffer = new byte[1024];
        while (!received.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            int n = await socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token);
            Assert.NotEqual(0, n);
            received.Append(Encoding.ASCII.GetString(buffer, 0, n));
        }

        return received.ToString();
    }
}
