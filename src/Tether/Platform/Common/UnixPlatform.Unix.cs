using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Tether.Platform.Pty;

namespace Tether.Platform.Common;

/// <summary>
/// Numbers that differ between Unix flavours (open flags, errno, ioctl requests, spawn flags,
/// signals), one instance per OS so shared code never compares raw values
/// (why: dotnet/runtime Common/src/Interop/Unix/Interop.Errors.cs).
/// </summary>
/// <remarks>Immutable; thread-safe.</remarks>
[SupportedOSPlatform("linux")]
[SupportedOSPlatform("macos")]
internal sealed class UnixPlatform
{
    private readonly Dictionary<int, string> _signalNames;

    private UnixPlatform(bool isMacOS, Dictionary<int, string> signalNames)
    {
        IsMacOS = isMacOS;
        _signalNames = signalNames;
    }

    /// <summary>The running OS.</summary>
    internal static UnixPlatform Current { get; } = OperatingSystem.IsMacOS() ? CreateMacOS() : CreateLinux();

    internal bool IsMacOS { get; }

    /// <summary>Variadic calls need the stack-passing declarations (see <c>Interop.Ioctl.cs</c>).</summary>
    internal bool IsAppleArm64 => IsMacOS && RuntimeInformation.ProcessArchitecture == Architecture.Arm64;

    internal int ORdWr { get; private init; }

    internal int ONoCtty { get; private init; }

    internal int OCloExec { get; private init; }

    internal int ONonBlock { get; private init; }

    internal int FGetFd { get; private init; }

    internal int FSetFd { get; private init; }

    internal int FGetFl { get; private init; }

    internal int FSetFl { get; private init; }

    internal int FdCloExec { get; private init; }

    internal int EIntr { get; private init; }

    internal int EAgain { get; private init; }

    internal int EIo { get; private init; }

    internal int ESrch { get; private init; }

    internal int EChild { get; private init; }

    internal int ENoEnt { get; private init; }

    /// <summary>O_NOFOLLOW: open fails on a symlink in the last component (Linux: 0x8000 on arm and arm64, 0x20000 on x86).</summary>
    internal int ONoFollow { get; private init; }

    /// <summary>AT_FDCWD for the *at calls.</summary>
    internal int AtFdCwd { get; private init; }

    /// <summary>AT_SYMLINK_NOFOLLOW for utimensat.</summary>
    internal int AtSymlinkNoFollow { get; private init; }

    /// <summary>O_DIRECTORY (Linux: 0x4000 on arm and arm64, 0x10000 on x86).</summary>
    internal int ODirectory { get; private init; }

    /// <summary>O_CREAT.</summary>
    internal int OCreat { get; private init; }

    /// <summary>O_EXCL: with O_CREAT, fails when the name exists, even as a dangling symlink.</summary>
    internal int OExcl { get; private init; }

    /// <summary>O_PATH (Linux only; 0 on macOS, which has none).</summary>
    internal int OPath { get; private init; }

    /// <summary>AT_REMOVEDIR for unlinkat.</summary>
    internal int AtRemoveDir { get; private init; }

    internal int EExist { get; private init; }

    internal int ELoop { get; private init; }

    internal int ENotDir { get; private init; }

    internal int ENoSys { get; private init; }

    /// <summary>EINPROGRESS: a non-blocking connect(2) is under way (Linux 115, macOS 36).</summary>
    internal int EInProgress { get; private init; }

    internal nuint TiocSWinSz { get; private init; }

    internal int PPid { get; private init; }

    internal int WExited { get; private init; }

    internal int WNoWait { get; private init; }

    internal int SpawnSetSid { get; private init; }

    internal int SpawnSetSigDef { get; private init; }

    internal int SpawnSetSigMask { get; private init; }

    /// <summary>
    /// macOS <c>POSIX_SPAWN_CLOEXEC_DEFAULT</c>: the child inherits only the fds the file actions
    /// name. Needed there because the runtime sets FD_CLOEXEC on pipes after pipe() (macOS has no
    /// pipe2), so a concurrent spawn could inherit another command's pipe and hold its EOF back.
    /// 0 on Linux (no such flag; pipe2 is atomic).
    /// </summary>
    internal int SpawnCloExecDefault { get; private init; }

    internal int PollIn { get; private init; }

    internal int PollOut { get; private init; }

    internal int PollErr { get; private init; }

    internal int PollHup { get; private init; }

    internal int PollNval { get; private init; }

    internal int SigHup { get; private init; }

    internal int SigInt { get; private init; }

    internal int SigTerm { get; private init; }

    internal int SigKill { get; private init; }

    /// <summary>The OS number of <paramref name="signal"/>.</summary>
    internal int ToNumber(PtySignal signal) => signal switch
    {
        PtySignal.Hangup => SigHup,
        PtySignal.Interrupt => SigInt,
        PtySignal.Terminate => SigTerm,
        PtySignal.Kill => SigKill,
        _ => throw new ArgumentOutOfRangeException(nameof(signal), signal, "Unknown signal."),
    };

    /// <summary>The name of signal <paramref name="number"/>, e.g. <c>SIGKILL</c>, or <c>SIG</c> + number.</summary>
    internal string SignalName(int number) =>
        _signalNames.TryGetValue(number, out var name) ? name : "SIG" + number.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static Dictionary<int, string> CommonSignals() => new()
    {
        [1] = "SIGHUP", [2] = "SIGINT", [3] = "SIGQUIT", [4] = "SIGILL", [5] = "SIGTRAP", [6] = "SIGABRT",
        [8] = "SIGFPE", [9] = "SIGKILL", [11] = "SIGSEGV", [13] = "SIGPIPE", [14] = "SIGALRM", [15] = "SIGTERM",
        [24] = "SIGXCPU", [25] = "SIGXFSZ", [26] = "SIGVTALRM", [27] = "SIGPROF", [28] = "SIGWINCH",
    };

    // glibc <bits/fcntl-linux.h>, <asm-generic/errno-base.h>, <asm-generic/ioctls.h>, <spawn.h>,
    // <asm-generic/signal.h>. x86, arm and arm64 agree; mips/sparc/alpha differ and are unsupported.
    internal static UnixPlatform CreateLinux()
    {
        var names = CommonSignals();
        names[7] = "SIGBUS";
        names[10] = "SIGUSR1";
        names[12] = "SIGUSR2";
        names[16] = "SIGSTKFLT";
        names[17] = "SIGCHLD";
        names[18] = "SIGCONT";
        names[19] = "SIGSTOP";
        names[20] = "SIGTSTP";
        names[21] = "SIGTTIN";
        names[22] = "SIGTTOU";
        names[23] = "SIGURG";
        names[29] = "SIGIO";
        names[30] = "SIGPWR";
        names[31] = "SIGSYS";
        return new UnixPlatform(isMacOS: false, names)
        {
            ORdWr = 0x2, ONoCtty = 0x100, OCloExec = 0x80000, ONonBlock = 0x800,
            ONoFollow = RuntimeInformation.ProcessArchitecture is Architecture.Arm or Architecture.Arm64 or Architecture.Armv6 ? 0x8000 : 0x20000,
            AtFdCwd = -100, AtSymlinkNoFollow = 0x100,
            ODirectory = RuntimeInformation.ProcessArchitecture is Architecture.Arm or Architecture.Arm64 or Architecture.Armv6 ? 0x4000 : 0x10000,
            OCreat = 0x40, OExcl = 0x80, OPath = 0x200000, AtRemoveDir = 0x200, EExist = 17, ELoop = 40, ENotDir = 20,
            FGetFd = 1, FSetFd = 2, FGetFl = 3, FSetFl = 4, FdCloExec = 1,
            EIntr = 4, EAgain = 11, EIo = 5, ESrch = 3, EChild = 10, ENoEnt = 2, ENoSys = 38, EInProgress = 115,
            TiocSWinSz = 0x5414,
            PPid = 1, WExited = 0x4, WNoWait = 0x01000000,
            SpawnSetSid = 0x80, SpawnSetSigDef = 0x04, SpawnSetSigMask = 0x08, SpawnCloExecDefault = 0,
            PollIn = 0x1, PollOut = 0x4, PollErr = 0x8, PollHup = 0x10, PollNval = 0x20,
            SigHup = 1, SigInt = 2, SigTerm = 15, SigKill = 9,
        };
    }

    // macOS <sys/fcntl.h>, <sys/errno.h>, <sys/ttycom.h>, <spawn.h>, <sys/signal.h>, <poll.h>.
    internal static UnixPlatform CreateMacOS()
    {
        var names = CommonSignals();
        names[7] = "SIGEMT";
        names[10] = "SIGBUS";
        names[12] = "SIGSYS";
        names[16] = "SIGURG";
        names[17] = "SIGSTOP";
        names[18] = "SIGTSTP";
        names[19] = "SIGCONT";
        names[20] = "SIGCHLD";
        names[21] = "SIGTTIN";
        names[22] = "SIGTTOU";
        names[23] = "SIGIO";
        names[29] = "SIGINFO";
        names[30] = "SIGUSR1";
        names[31] = "SIGUSR2";
        return new UnixPlatform(isMacOS: true, names)
        {
            ORdWr = 0x2, ONoCtty = 0x20000, OCloExec = 0x1000000, ONonBlock = 0x4,
            ONoFollow = 0x100, AtFdCwd = -2, AtSymlinkNoFollow = 0x20,
            ODirectory = 0x100000, OCreat = 0x200, OExcl = 0x800, OPath = 0, AtRemoveDir = 0x80, EExist = 17, ELoop = 62, ENotDir = 20,
            FGetFd = 1, FSetFd = 2, FGetFl = 3, FSetFl = 4, FdCloExec = 1,
            EIntr = 4, EAgain = 35, EIo = 5, ESrch = 3, EChild = 10, ENoEnt = 2, ENoSys = 78, EInProgress = 36,
            TiocSWinSz = 0x80087467,
            PPid = 1, WExited = 0x4, WNoWait = 0x20,
            SpawnSetSid = 0x400, SpawnSetSigDef = 0x04, SpawnSetSigMask = 0x08, SpawnCloExecDefault = 0x4000,
            PollIn = 0x1, PollOut = 0x4, PollErr = 0x8, PollHup = 0x10, PollNval = 0x20,
            SigHup = 1, SigInt = 2, SigTerm = 15, SigKill = 9,
        };
    }
}
