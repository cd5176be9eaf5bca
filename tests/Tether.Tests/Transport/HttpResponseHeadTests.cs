using System.Text;
using Tether.Transport;

namespace Tether.Tests.Transport;

public sealed class HttpResponseHeadTests
{
    [Fact]
    public void FindEnd_IsMinusOneUntilTheBlankLine_ThenItsEnd()
    {
        byte[] partial = "HTTP/1.1 200 OK\r\nA: b\r\n"u8.ToArray();
        byte[] whole = "HTTP/1.1 200 OK\r\nA: b\r\n\r\nbody"u8.ToArray();

        Assert.Equal(-1, HttpResponseHead.FindEnd(partial));
        Assert.Equal(whole.Length - 4, HttpResponseHead.FindEnd(whole));
    }

    [Fact]
    public void TryParse_ReadsStatusAndHeaders_CaseInsensitively_JoiningRepeats()
    {
        byte[] bytes = "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic\r\nX-A: 1\r\nx-a: 2\r\n\r\n"u8.ToArray();

        Assert.True(HttpResponseHead.TryParse(bytes, out var head, out _));

        Assert.Equal(407, head!.Status);
        Assert.Equal("HTTP/1.1 407 Proxy Authentication Required", head.StatusLine);
        Assert.Equal("Proxy Authentication Required", head.Reason);
        Assert.Equal("Basic", head["proxy-authenticate"]);
        Assert.Equal("1, 2", head["X-A"]);
        Assert.Null(head["Missing"]);
    }

    [Theory]
    [InlineData("SSH-2.0-OpenSSH_9.2\r\n\r\n")]
    [InlineData("HTTP/1.1 abc Weird\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nno colon here\r\n\r\n")]
    [InlineData("\r\n\r\n")]
    public void TryParse_NotHttp_IsAnErrorNotAnException(string response)
    {
        Assert.False(HttpResponseHead.TryParse(Encoding.Latin1.GetBytes(response), out var head, out string error));
        Assert.Null(head);
        Assert.NotEmpty(error);
    }

    [Fact]
    public void HasToken_FindsATokenInACommaList()
    {
        Assert.True(HttpResponseHead.TryParse("HTTP/1.1 101 S\r\nConnection: keep-alive, upgrade\r\n\r\n"u8, out var head, out _));

        Assert.True(head!.HasToken("Connection", "Upgrade"));
        Assert.False(head.HasToken("Connection", "close"));
        Assert.False(head.HasToken("Upgrade", "websocket"));
    }
}
