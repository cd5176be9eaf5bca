using Tether.Transport;

namespace Tether.Tests.Transport;

public sealed class OutboundConnectionTests
{
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
}
