using System.Text;
using Tether.Transport;

namespace Tether.Tests.Transport;

public sealed class HttpGetClientTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task GetAsync_ContentLength_ReadsExactlyThatBody_WithOneCloseRequest()
    {
        await using var server = new LoopbackHttpServer((_, _) => LoopbackHttpServer.Text("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nDate: Fri, 04 Dec 2026 12:00:00 GMT\r\n\r\nhello"));

        var result = await Client().GetAsync(server.Url("/u.keys"), 1024, Token());

        Assert.Equal((200, "hello", false), (result.Head.Status, Encoding.UTF8.GetString(result.Body), result.TooLarge));
        Assert.Equal("Fri, 04 Dec 2026 12:00:00 GMT", result.Head["Date"]);
        string request = Assert.Single(server.Requests);
        Assert.StartsWith("GET /u.keys HTTP/1.1\r\n", request, StringComparison.Ordinal);
        Assert.Contains($"Host: 127.0.0.1:{server.Port}\r\n", request, StringComparison.Ordinal);
        Assert.Contains("Connection: close\r\n", request, StringComparison.Ordinal);
        Assert.Contains("User-Agent: tether/", request, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetAsync_Chunked_JoinsTheChunks()
    {
        await using var server = new LoopbackHttpServer((_, _) => LoopbackHttpServer.Text(
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nssh-\r\nA;ext=1\r\ned25519 AA\r\n0\r\nX-Trailer: 1\r\n\r\n"));

        var result = await Client().GetAsync(server.Url(), 1024, Token());

        Assert.Equal("ssh-ed25519 AA", Encoding.UTF8.GetString(result.Body));
    }

    [Fact]
    public async Task GetAsync_WithoutALength_ReadsUntilTheServerCloses()
    {
        await using var server = new LoopbackHttpServer((_, _) => LoopbackHttpServer.Text("HTTP/1.1 200 OK\r\n\r\nline one\nline two\n"));

        var result = await Client().GetAsync(server.Url(), 1024, Token());

        Assert.Equal("line one\nline two\n", Encoding.UTF8.GetString(result.Body));
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 2000\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n7d0\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\n\r\n")]
    public async Task GetAsync_ABodyOverTheCap_IsTooLarge_AndNotReturned(string head)
    {
        await using var server = new LoopbackHttpServer((_, _) => LoopbackHttpServer.Text(head + new string('k', 2000)));

        var result = await Client().GetAsync(server.Url(), 1024, Token());

        Assert.True(result.TooLarge);
        Assert.Empty(result.Body);
    }

    [Fact]
    public async Task GetAsync_FollowsRelativeRedirects_ToTheFinalAnswer()
    {
        await using var server = new LoopbackHttpServer((request, i) => LoopbackHttpServer.Text(i < 2
            ? $"HTTP/1.1 302 Found\r\nLocation: /hop{i + 1}\r\nContent-Length: 0\r\n\r\n"
            : "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));

        var result = await Client().GetAsync(server.Url("/start"), 1024, Token());

        Assert.Equal("ok", Encoding.UTF8.GetString(result.Body));
        Assert.Equal(server.Url("/hop2"), result.Url);
        Assert.Equal(["GET /start ", "GET /hop1 ", "GET /hop2 "], server.Requests.Select(static r => r[..r.IndexOf("HTTP", StringComparison.Ordinal)]));
    }

    [Fact]
    public async Task GetAsync_MoreThanFiveRedirects_Fails_AfterSixRequests()
    {
        await using var server = new LoopbackHttpServer((_, i) => LoopbackHttpServer.Text($"HTTP/1.1 301 Moved\r\nLocation: /r{i}\r\nContent-Length: 0\r\n\r\n"));

        var ex = await Assert.ThrowsAsync<ConnectFailedException>(() => Client().GetAsync(server.Url(), 1024, Token()));

        Assert.Contains("more than 5 redirects", ex.Message, StringComparison.Ordinal);
        Assert.Equal(6, server.Requests.Count);
    }

    [Fact]
    public async Task GetAsync_AnErrorStatus_IsReturned_NotThrown()
    {
        await using var server = new LoopbackHttpServer((_, _) => LoopbackHttpServer.Text("HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\n\r\nNot Found"));

        var result = await Client().GetAsync(server.Url("/nobody.keys"), 1024, Token());

        Assert.Equal("HTTP/1.1 404 Not Found", result.Head.StatusLine);
    }

    [Fact]
    public async Task GetAsync_AServerThatClosesWithoutAnswering_FailsWithOneRequest()
    {
        await using var server = new LoopbackHttpServer((_, _) => []);

        var ex = await Assert.ThrowsAsync<ConnectFailedException>(() => Client().GetAsync(server.Url(), 1024, Token()));

        Assert.Contains("closed the connection without answering", ex.Message, StringComparison.Ordinal);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task GetAsync_ThroughAProxy_SendsConnectWithBasicCredentials_ThenTheRequest()
    {
        // The "proxy" answers 200 to CONNECT and then plays the server on the same connection.
        var seen = new List<string>();
        await using var proxy = new LoopbackHttpServer((head, _) =>
        {
            seen.Add(head);
            return LoopbackHttpServer.Text("HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n");
        });
        var proxyUri = new Uri($"http://user:p%40ss@127.0.0.1:{proxy.Port}");
        var client = new HttpGetClient(new OutboundConnection(null, false, _ => proxyUri, TimeSpan.FromSeconds(5)));

        var ex = await Assert.ThrowsAsync<ConnectFailedException>(() => client.GetAsync(new Uri("https://keys.example/u.keys"), 1024, Token()));

        Assert.Contains("proxy answered 407: credentials", ex.Message, StringComparison.Ordinal);
        string connect = Assert.Single(proxy.Requests);
        Assert.StartsWith("CONNECT keys.example:443 HTTP/1.1\r\nHost: keys.example:443\r\n", connect, StringComparison.Ordinal);
        Assert.Contains("Proxy-Authorization: Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("user:p@ss")) + "\r\n", connect, StringComparison.Ordinal);
        Assert.DoesNotContain("p%40ss", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_APortNobodyListensOn_FailsNamingTheTcpPhase()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        int port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var ex = await Assert.ThrowsAsync<ConnectFailedException>(() => Client().GetAsync(new Uri($"http://127.0.0.1:{port}/"), 1024, Token()));

        Assert.StartsWith($"TCP: cannot reach the server 127.0.0.1:{port} (127.0.0.1: ", ex.Message, StringComparison.Ordinal);
    }

    private static HttpGetClient Client() => new(new OutboundConnection(null, false, static _ => null, TimeSpan.FromSeconds(5)));

    private static CancellationToken Token() => new CancellationTokenSource(Deadline).Token;
}
