using Tether.Transport;

namespace Tether.Tests.Transport;

public sealed class HostNamesTests
{
    [Theory]
    [InlineData("wss://dash.example/socket.io/", "dash.example", "dash.example", "dash.example", "dash.example:443")]
    [InlineData("ws://dash.example:8080/", "dash.example", "dash.example", "dash.example:8080", "dash.example:8080")]
    [InlineData("http://[::1]:3000/", "::1", "[::1]", "[::1]:3000", "[::1]:3000")]
    [InlineData("https://[fd00::1]/u.keys", "fd00::1", "[fd00::1]", "[fd00::1]", "[fd00::1]:443")]
    [InlineData("http://127.0.0.1/", "127.0.0.1", "127.0.0.1", "127.0.0.1", "127.0.0.1:80")]
    public void TheFourForms_BracketIpv6_AndOmitOnlyTheDefaultPortFromTheHostHeader(string uri, string name, string literal, string hostHeader, string authority)
    {
        var u = new Uri(uri);

        Assert.Equal((name, literal, hostHeader, authority), (HostNames.Name(u), HostNames.Literal(u), HostNames.HostHeader(u), HostNames.Authority(u)));
    }
}
