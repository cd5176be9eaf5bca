using Tether.Config;

namespace Tether.Tests.Config;

public sealed class ProxySettingsTests
{
    private static ProxySettings Parse(string? noProxy, string https = "http://proxy.example:3128", string? http = "http://proxy.example:3128")
    {
        var env = new Dictionary<string, string?> { ["HTTPS_PROXY"] = https, ["HTTP_PROXY"] = http, ["NO_PROXY"] = noProxy };
        var settings = ProxyEnvironment.Parse(env, out var error);
        Assert.Null(error);
        return settings!;
    }

    [Theory]
    [InlineData("", "https://dash.example.com", true)]
    [InlineData("example.com", "https://example.com", false)]
    [InlineData("example.com", "https://dash.example.com", false)]
    [InlineData("example.com", "https://deep.dash.example.com:8443", false)]
    [InlineData("example.com", "https://notexample.com", true)]
    [InlineData("example.com", "https://example.com.evil.net", true)]
    [InlineData(".example.com", "https://example.com", false)]
    [InlineData(".example.com", "https://a.example.com", false)]
    [InlineData("*.example.com", "https://a.example.com", false)]
    [InlineData("EXAMPLE.com", "https://Dash.Example.COM", false)]
    [InlineData("example.com:8443", "https://example.com:8443", false)]
    [InlineData("example.com:8443", "https://example.com", true)]
    [InlineData("example.com:443", "https://example.com", false)]
    [InlineData("10.1.2.3", "https://10.1.2.3:9000", false)]
    [InlineData("10.1.2.3", "https://10.1.2.4", true)]
    [InlineData("10.1.2.3:9000", "https://10.1.2.3:9001", true)]
    [InlineData("10.0.0.0/8", "https://10.200.1.1", false)]
    [InlineData("10.0.0.0/8", "https://11.0.0.1", true)]
    [InlineData("fd00::1", "https://[fd00::1]", false)]
    [InlineData("[fd00::1]:8443", "https://[fd00::1]:8443", false)]
    [InlineData("[fd00::1]:8443", "https://[fd00::1]", true)]
    [InlineData("*", "https://anything.example", false)]
    [InlineData(" a.example , , example.com ", "https://x.example.com", false)]
    [InlineData("10.1.2.3", "https://host10.example", true)]
    public void ProxyFor_NoProxyTable(string noProxy, string target, bool proxied)
    {
        var proxy = Parse(noProxy).ProxyFor(new Uri(target));
        Assert.Equal(proxied, proxy is not null);
    }

    [Theory]
    [InlineData("https://localhost:3000")]
    [InlineData("https://api.localhost")]
    [InlineData("https://127.0.0.1")]
    [InlineData("https://127.9.9.9:8443")]
    [InlineData("https://[::1]:8443")]
    [InlineData("http://localhost")]
    [InlineData("wss://127.0.0.1")]
    public void ProxyFor_LoopbackTarget_NeverProxied(string target)
    {
        Assert.Null(Parse(null).ProxyFor(new Uri(target)));
    }

    [Fact]
    public void ProxyFor_SchemeSelectsVariable()
    {
        var settings = Parse(null, https: "http://secure-proxy.example:3128", http: "http://plain-proxy.example:8080");
        Assert.Equal("secure-proxy.example", settings.ProxyFor(new Uri("https://x.example"))!.Host);
        Assert.Equal("secure-proxy.example", settings.ProxyFor(new Uri("wss://x.example"))!.Host);
        Assert.Equal("plain-proxy.example", settings.ProxyFor(new Uri("http://x.example"))!.Host);
    }

    [Fact]
    public void ProxyFor_HttpsTargetWithOnlyHttpProxy_GoesDirect()
    {
        var settings = Parse(null, https: "", http: "http://plain-proxy.example:8080");
        Assert.Null(settings.ProxyFor(new Uri("https://x.example")));
    }

    [Fact]
    public void Parse_UpperCaseWinsOverLowerCase_ForEveryVariable()
    {
        var env = new Dictionary<string, string?>
        {
            ["HTTPS_PROXY"] = "http://upper.example:1",
            ["https_proxy"] = "http://lower.example:1",
            ["HTTP_PROXY"] = "http://upper-plain.example:1",
            ["http_proxy"] = "http://lower-plain.example:1",
            ["NO_PROXY"] = "upper.internal",
            ["no_proxy"] = "lower.internal",
        };
        var settings = ProxyEnvironment.Parse(env, out _)!;

        Assert.Equal("upper.example", settings.HttpsProxy!.Host);
        Assert.Equal("upper-plain.example", settings.HttpProxy!.Host);
        Assert.Null(settings.ProxyFor(new Uri("https://upper.internal")));
        Assert.NotNull(settings.ProxyFor(new Uri("https://lower.internal")));
    }

    [Fact]
    public void Parse_LowerCaseUsedWhenUpperUnset()
    {
        var settings = ProxyEnvironment.Parse(new Dictionary<string, string?> { ["https_proxy"] = "https://lower.example:443", ["no_proxy"] = "skip.example" }, out _)!;
        Assert.Equal("lower.example", settings.HttpsProxy!.Host);
        Assert.Null(settings.ProxyFor(new Uri("https://skip.example")));
    }

    [Fact]
    public void Redaction_HidesCredentials()
    {
        var settings = Parse("a.example", https: "http://bob:hunter2@proxy.example:3128");

        var text = settings.ToString();

        Assert.Contains("http://***@proxy.example:3128/", text, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", text, StringComparison.Ordinal);
        Assert.DoesNotContain("bob", text, StringComparison.Ordinal);
        Assert.Equal("bob:hunter2", settings.HttpsProxy!.UserInfo);
        Assert.Equal("http://***@proxy.example:3128", ProxySettings.RedactRaw("http://bob:hunter2@proxy.example:3128"));
        Assert.Equal("***@proxy:3128", ProxySettings.RedactRaw("bob:pw@proxy:3128"));
    }
}
