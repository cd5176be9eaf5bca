using System.Net;
using Tether.Transport;

namespace Tether.Tests.Transport;

public sealed class OutboundConnectionTests
{
    private static readonly Uri Proxy = new("http://user:p%40ss@proxy.example:3128/");

    [Fact]
    public void ProxyUriFor_AWebSocketTarget_AsksTheRulesAboutItsHttpForm()
    {
        var asked = new List<Uri>();
        var outbound = new OutboundConnection(null, false, u => { asked.Add(u); return null; });

        Assert.Null(outbound.ProxyUriFor(new Uri("wss://dash.example/socket.io/?EIO=4")));
        outbound.ProxyUriFor(new Uri("ws://dash.example:8080/"));
        outbound.ProxyUriFor(new Uri("https://github.com/u.keys"));

        Assert.Equal(["https://dash.example/socket.io/?EIO=4", "http://dash.example:8080/", "https://github.com/u.keys"], asked.Select(static u => u.ToString()));
    }

    [Fact]
    public void CreateHttpHandler_WithoutAProxyRule_NeverUsesTheEnvironmentsProxy()
    {
        using var handler = new OutboundConnection(null, false, static _ => null).CreateHttpHandler(new Uri("https://github.com"));

        Assert.False(handler.UseProxy);
        Assert.Null(handler.Proxy);
        Assert.NotNull(handler.SslOptions.RemoteCertificateValidationCallback);
    }

    [Fact]
    public void CreateHttpHandler_WithAProxyRule_UsesItWithItsCredentials()
    {
        using var handler = new OutboundConnection(null, false, static _ => Proxy).CreateHttpHandler(new Uri("https://github.com"));

        Assert.True(handler.UseProxy);
        var proxy = Assert.IsType<WebProxy>(handler.Proxy);
        Assert.Equal(new Uri("http://proxy.example:3128/"), proxy.Address);
        var credential = proxy.Credentials!.GetCredential(proxy.Address!, "Basic")!;
        Assert.Equal(("user", "p@ss"), (credential.UserName, credential.Password));
    }
}
