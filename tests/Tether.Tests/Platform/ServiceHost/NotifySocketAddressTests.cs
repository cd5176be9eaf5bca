using Tether.Platform.ServiceHost;

namespace Tether.Tests.Platform.ServiceHost;

public sealed class NotifySocketAddressTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void TryParse_Unset_IsNoSocketAndNoError(string? value)
    {
        Assert.True(NotifySocketAddress.TryParse(value, out string? path, out string? error));
        Assert.Null(path);
        Assert.Null(error);
    }

    [Fact]
    public void TryParse_AbsolutePath_IsUsedAsIs()
    {
        Assert.True(NotifySocketAddress.TryParse("/run/systemd/notify", out string? path, out _));
        Assert.Equal("/run/systemd/notify", path);
    }

    [Fact]
    public void TryParse_AtName_IsAnAbstractSocketWithALeadingNul()
    {
        Assert.True(NotifySocketAddress.TryParse("@/org/freedesktop/systemd1/notify/123", out string? path, out _));
        Assert.Equal("\0/org/freedesktop/systemd1/notify/123", path);
    }

    [Theory]
    [InlineData("@")]
    [InlineData("run/systemd/notify")]
    [InlineData("vsock:2:1234")]
    [InlineData("/run/a\0b")]
    public void TryParse_UnusableValue_IsAnErrorWithoutASocket(string value)
    {
        Assert.False(NotifySocketAddress.TryParse(value, out string? path, out string? error));
        Assert.Null(path);
        Assert.StartsWith("NOTIFY_SOCKET", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_PathOfMaxLength_FitsSunPathWithItsNul_OneMoreDoesNot()
    {
        string fits = "/" + new string('p', NotifySocketAddress.MaxAddressBytes - 2);
        Assert.True(NotifySocketAddress.TryParse(fits, out _, out _));
        Assert.False(NotifySocketAddress.TryParse(fits + "p", out _, out string? error));
        Assert.Contains("longer", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_AbstractNameOfMaxLength_FitsSunPathWithoutATerminator()
    {
        string fits = "@" + new string('a', NotifySocketAddress.MaxAddressBytes - 1);
        Assert.True(NotifySocketAddress.TryParse(fits, out string? path, out _));
        Assert.Equal(NotifySocketAddress.MaxAddressBytes, path!.Length);
        Assert.False(NotifySocketAddress.TryParse(fits + "a", out _, out _));
    }
}
