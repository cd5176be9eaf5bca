using System.Text;
using Tether.Transport;

namespace Tether.Tests.Transport;

public sealed class WebSocketHandshakeTests
{
    [Fact]
    public void ExpectedAccept_IsTheRfc6455Example()
    {
        // RFC 6455 section 1.3.
        Assert.Equal("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", WebSocketHandshake.ExpectedAccept("dGhlIHNhbXBsZSBub25jZQ=="));
    }

    [Fact]
    public void NewKey_IsSixteenRandomBytes_DifferentEachTime()
    {
        string a = WebSocketHandshake.NewKey();
        string b = WebSocketHandshake.NewKey();

        Assert.Equal(16, Convert.FromBase64String(a).Length);
        Assert.NotEqual(a, b);
    }

    [Theory]
    [InlineData("wss://dash.example/socket.io/?EIO=4&ts=1", "Host: dash.example\r\n")]
    [InlineData("wss://dash.example:8443/socket.io/?EIO=4", "Host: dash.example:8443\r\n")]
    [InlineData("ws://[::1]:3000/socket.io/?EIO=4", "Host: [::1]:3000\r\n")]
    [InlineData("ws://dash.example/socket.io/", "Host: dash.example\r\n")]
    public void BuildRequest_IsOneGetWithTheUpgradeHeaders(string target, string hostLine)
    {
        string request = Encoding.ASCII.GetString(WebSocketHandshake.BuildRequest(new Uri(target), "a2V5a2V5a2V5a2V5a2V5aw==", "tether/1.2.3"));

        Assert.StartsWith("GET " + new Uri(target).PathAndQuery + " HTTP/1.1\r\n", request, StringComparison.Ordinal);
        Assert.Contains(hostLine, request, StringComparison.Ordinal);
        Assert.Contains("Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: a2V5a2V5a2V5a2V5a2V5aw==\r\nSec-WebSocket-Version: 13\r\nUser-Agent: tether/1.2.3\r\n", request, StringComparison.Ordinal);
        Assert.EndsWith("\r\n\r\n", request, StringComparison.Ordinal);
        Assert.Equal(1, request.Split("HTTP/1.1").Length - 1);
    }

    [Fact]
    public void Check_ARightAnswer_IsNull()
    {
        const string Key = "dGhlIHNhbXBsZSBub25jZQ==";
        var head = Parse("HTTP/1.1 101 Switching Protocols\r\nupgrade: WebSocket\r\nConnection: keep-alive, Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n");

        Assert.Null(WebSocketHandshake.Check(head, Key, default));
    }

    [Theory]
    [InlineData("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: wrong=\r\n\r\n", "wrong Sec-WebSocket-Accept")]
    [InlineData("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n", "without 'Upgrade: websocket'")]
    [InlineData("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n", "without 'Connection: Upgrade'")]
    [InlineData("HTTP/1.1 403 Forbidden\r\n\r\n", "server answered HTTP/1.1 403 Forbidden (bad authToken or clock skew?)")]
    [InlineData("HTTP/1.1 404 Not Found\r\n\r\n", "wrong serverUrl base or transport.path?")]
    [InlineData("HTTP/1.1 502 Bad Gateway\r\n\r\n", "server answered HTTP/1.1 502 Bad Gateway (the dashboard is down or restarting")]
    [InlineData("HTTP/1.1 200 OK\r\n\r\n", "not a WebSocket upgrade")]
    public void Check_AWrongAnswer_SaysWhatIsWrong(string response, string expected)
    {
        var head = Parse(response);

        Assert.Contains(expected, WebSocketHandshake.Check(head, "dGhlIHNhbXBsZSBub25jZQ==", default), StringComparison.Ordinal);
    }

    [Fact]
    public void Check_AnErrorWithABody_QuotesItsFirst200BytesWithoutControlCharacters()
    {
        var head = Parse("HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\n\r\n");
        byte[] body = Encoding.UTF8.GetBytes("{\"code\":0,\"message\":\"Transport unknown\"}\n\u001b[31m" + new string('x', 400));

        string refusal = WebSocketHandshake.Check(head, "k", body)!;

        Assert.Contains("body: \"{\"code\":0,\"message\":\"Transport unknown\"}\\u000A\\u001B[31mxxx", refusal, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', refusal);
        Assert.True(refusal.Length < 400, refusal);
    }

    private static HttpResponseHead Parse(string response)
    {
        byte[] bytes = Encoding.ASCII.GetBytes(response);
        Assert.Equal(bytes.Length, HttpResponseHead.FindEnd(bytes));
        Assert.True(HttpResponseHead.TryParse(bytes, out var head, out string error), error);
        return head!;
    }
}
