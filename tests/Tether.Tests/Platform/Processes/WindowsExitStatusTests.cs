using Tether.Platform.Processes;
using Tether.Platform.Pty;

namespace Tether.Tests.Platform.Processes;

public sealed class WindowsExitStatusTests
{
    [Fact]
    public void OurKill_ReadsAsSigkill()
    {
        Assert.Equal(new PtyExit(null, null, "SIGKILL"), WindowsExitStatus.ToPtyExit(WindowsExitStatus.KillExitCode, killRequested: true));
        Assert.Equal(new ChildProcessExit(137, null, "SIGKILL"), WindowsExitStatus.ToChildExit(WindowsExitStatus.KillExitCode, killRequested: true));
    }

    [Fact]
    public void Code137WithoutAKill_IsAnOrdinaryExitCode()
    {
        Assert.Equal(new PtyExit(137, null, null), WindowsExitStatus.ToPtyExit(137, killRequested: false));
        Assert.Equal(new ChildProcessExit(137, null, null), WindowsExitStatus.ToChildExit(137, killRequested: false));
    }

    [Fact]
    public void KillRequestedButTheProcessExitedFirst_KeepsItsOwnCode()
    {
        Assert.Equal(new PtyExit(0, null, null), WindowsExitStatus.ToPtyExit(0, killRequested: true));
        Assert.Equal(new ChildProcessExit(3, null, null), WindowsExitStatus.ToChildExit(3, killRequested: true));
    }

    [Fact]
    public void NtStatusCodes_BecomeNegative()
    {
        // STATUS_CONTROL_C_EXIT: what a console program ended by CTRL_CLOSE_EVENT reports.
        Assert.Equal(-1073741510, WindowsExitStatus.ToPtyExit(0xC000013A, killRequested: false).ExitCode);
        Assert.Equal(-1073741510, WindowsExitStatus.ToChildExit(0xC000013A, killRequested: false).ExitCode);
    }
}
