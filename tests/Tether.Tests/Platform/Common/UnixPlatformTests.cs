using System.Runtime.Versioning;
using Tether.Platform.Common;
using Tether.Platform.Pty;

namespace Tether.Tests.Platform.Common;

/// <summary>
/// The per-OS numbers against their headers: glibc/Linux uapi (the same on x86, arm and arm64)
/// and macOS. Nothing here runs on a Mac; the macOS table is checked as data.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class UnixPlatformTests
{
    private static readonly UnixPlatform Linux = UnixPlatform.CreateLinux();
    private static readonly UnixPlatform Mac = UnixPlatform.CreateMacOS();

    [Fact]
    public void Current_OnLinux_IsTheLinuxTable()
    {
        Assert.False(UnixPlatform.Current.IsMacOS);
        Assert.Equal(Linux.SpawnSetSid, UnixPlatform.Current.SpawnSetSid);
    }

    [Fact]
    public void SpawnFlags_SetSidDiffers_SigDefAndSigMaskAgree()
    {
        Assert.Equal(0x80, Linux.SpawnSetSid);
        Assert.Equal(0x400, Mac.SpawnSetSid);
        Assert.Equal((0x04, 0x08), (Linux.SpawnSetSigDef, Linux.SpawnSetSigMask));
        Assert.Equal((0x04, 0x08), (Mac.SpawnSetSigDef, Mac.SpawnSetSigMask));
    }

    [Fact]
    public void SpawnCloExecDefault_MacOnly_AndEveryFlagSetFitsTheShortOfSetFlags()
    {
        Assert.Equal(0, Linux.SpawnCloExecDefault);
        Assert.Equal(0x4000, Mac.SpawnCloExecDefault);

        // posix_spawnattr_setflags takes a short: SETSID | SETPGROUP | SIGDEF | SIGMASK | CLOEXEC_DEFAULT stays positive.
        Assert.True((Mac.SpawnSetSid | 0x02 | Mac.SpawnSetSigDef | Mac.SpawnSetSigMask | Mac.SpawnCloExecDefault) <= short.MaxValue);
    }

    [Fact]
    public void TiocSWinSz_LinuxIsTheFixedNumber_MacIsIowOfWinsize()
    {
        Assert.Equal((nuint)0x5414, Linux.TiocSWinSz);

        // _IOW('t', 103, struct winsize) = IOC_IN | sizeof << 16 | group << 8 | number.
        nuint iow = 0x80000000u | (8u << 16) | ((uint)'t' << 8) | 103u;
        Assert.Equal(iow, Mac.TiocSWinSz);
    }

    [Fact]
    public void OpenFlags_PerOs()
    {
        Assert.Equal((2, 0x100, 0x80000, 0x800), (Linux.ORdWr, Linux.ONoCtty, Linux.OCloExec, Linux.ONonBlock));
        Assert.Equal((2, 0x20000, 0x1000000, 0x4), (Mac.ORdWr, Mac.ONoCtty, Mac.OCloExec, Mac.ONonBlock));
    }

    [Fact]
    public void FileFlags_PerOs()
    {
        // Linux <asm-generic/fcntl.h> and <fcntl.h> AT_*; macOS <sys/fcntl.h>.
        Assert.Equal((-100, 0x100), (Linux.AtFdCwd, Linux.AtSymlinkNoFollow));
        Assert.Equal((0x100, -2, 0x20), (Mac.ONoFollow, Mac.AtFdCwd, Mac.AtSymlinkNoFollow));
    }

    [Fact]
    public void Errno_PerOs()
    {
        Assert.Equal((4, 11, 5, 3, 10, 2, 38), (Linux.EIntr, Linux.EAgain, Linux.EIo, Linux.ESrch, Linux.EChild, Linux.ENoEnt, Linux.ENoSys));
        Assert.Equal((4, 35, 5, 3, 10, 2, 78), (Mac.EIntr, Mac.EAgain, Mac.EIo, Mac.ESrch, Mac.EChild, Mac.ENoEnt, Mac.ENoSys));
    }

    [Fact]
    public void WaitIdOptions_PerOs()
    {
        Assert.Equal((1, 0x4, 0x01000000), (Linux.PPid, Linux.WExited, Linux.WNoWait));
        Assert.Equal((1, 0x4, 0x20), (Mac.PPid, Mac.WExited, Mac.WNoWait));
    }

    [Fact]
    public void Signals_SameNumbersForTheOnesWeSend_NamesDifferElsewhere()
    {
        foreach (var platform in new[] { Linux, Mac })
        {
            Assert.Equal(1, platform.ToNumber(PtySignal.Hangup));
            Assert.Equal(2, platform.ToNumber(PtySignal.Interrupt));
            Assert.Equal(15, platform.ToNumber(PtySignal.Terminate));
            Assert.Equal(9, platform.ToNumber(PtySignal.Kill));
        }

        Assert.Equal("SIGCHLD", Linux.SignalName(17));
        Assert.Equal("SIGCHLD", Mac.SignalName(20));
        Assert.Equal("SIGBUS", Linux.SignalName(7));
        Assert.Equal("SIGBUS", Mac.SignalName(10));
        Assert.Equal("SIGUSR1", Mac.SignalName(30));
    }

    [Fact]
    public void PollEvents_AgreeOnBothOses()
    {
        foreach (var platform in new[] { Linux, Mac })
        {
            Assert.Equal((0x1, 0x4, 0x8, 0x10, 0x20), (platform.PollIn, platform.PollOut, platform.PollErr, platform.PollHup, platform.PollNval));
        }
    }
}
