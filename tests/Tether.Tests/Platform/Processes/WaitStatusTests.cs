using System.Runtime.Versioning;
using Tether.Platform.Common;
using Tether.Platform.Processes;
using Tether.Platform.Pty;

namespace Tether.Tests.Platform.Processes;

[SupportedOSPlatform("linux")]
public sealed class WaitStatusTests
{
    [Theory]
    [InlineData(0x0000, 0)]
    [InlineData(0x0300, 3)]
    [InlineData(0xff00, 255)]
    public void Decode_ExitedStatus_GivesExitCode(int status, int code) =>
        Assert.Equal(new PtyExit(code, null, null), WaitStatus.Decode(status, UnixPlatform.Current));

    [Theory]
    [InlineData(9, "SIGKILL")]
    [InlineData(1, "SIGHUP")]
    [InlineData(15 | 0x80, "SIGTERM")] // core-dump bit set
    public void Decode_SignalledStatus_GivesSignalAndName(int status, string name)
    {
        var exit = WaitStatus.Decode(status, UnixPlatform.Current);

        Assert.Null(exit.ExitCode);
        Assert.Equal(status & 0x7f, exit.Signal);
        Assert.Equal(name, exit.SignalName);
    }

    [Fact]
    public void Decode_StoppedStatus_IsUnknown() =>
        Assert.Equal(PtyExit.Unknown, WaitStatus.Decode(0x137f, UnixPlatform.Current));

    [Fact]
    public void SignalName_Unlisted_FallsBackToNumber() =>
        Assert.Equal("SIG64", UnixPlatform.Current.SignalName(64));
}
