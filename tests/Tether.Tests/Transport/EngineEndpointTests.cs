using Tether.Transport;

namespace Tether.Tests.Transport;

public sealed class EngineEndpointTests
{
    [Theory]
    [InlineData("https://dash.example.com", "/socket.io", "wss://dash.example.com:443/socket.io/")]
    [InlineData("http://127.0.0.1:3000", "/socket.io", "ws://127.0.0.1:3000/socket.io/")]
    [InlineData("https://dash.example.com/base/", "/socket.io", "wss://dash.example.com:443/base/socket.io/")]
    [InlineData("http://[::1]:8080/a/b", "custom/", "ws://[::1]:8080/a/b/custom/")]
    public void BaseAddress_JoinsBasePathAndEnginePath(string server, string path, string expected) =>
        Assert.Equal(expected, EngineEndpoint.BaseAddress(new Uri(server), path));

    [Fact]
    public void Build_CarriesEioTransportAndEscapedCredentials()
    {
        Uri uri = EngineEndpoint.Build(new Uri("http://127.0.0.1:3000"), "/socket.io", "a b&c=中", 1764423000123, "abc123");
        Assert.Equal("ws", uri.Scheme);
        Assert.Equal("/socket.io/", uri.AbsolutePath);
        Assert.Equal("?EIO=4&transport=websocket&clientId=a%20b%26c%3D%E4%B8%AD&ts=1764423000123&sig=abc123", uri.Query);
    }

    [Theory]
    [InlineData("http://127.0.0.1", true)]
    [InlineData("http://127.9.9.9", true)]
    [InlineData("http://localhost:1", true)]
    [InlineData("http://[::1]:1", true)]
    [InlineData("http://10.0.0.1", false)]
    [InlineData("http://example.com", false)]
    public void IsLoopback_KnowsLoopbackNamesAndAddresses(string url, bool expected) =>
        Assert.Equal(expected, EngineEndpoint.IsLoopback(new Uri(url)));
}
