using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace Tether.Platform.Common;

/// <summary>fcntl/ioctl wrappers that pick the right variadic calling convention.</summary>
[SupportedOSPlatform("linux")]
[SupportedOSPlatform("macos")]
internal static class UnixFd
{
    /// <summary>ORs <paramref name="flag"/> into the flags read by <paramref name="get"/> and written by <paramref name="set"/>.</summary>
    /// <returns>0 or the errno.</returns>
    internal static int AddFlag(UnixPlatform platform, SafeHandle fd, int get, int set, int flag)
    {
        var current = Fcntl(platform, fd, get, 0);
        if (current < 0)
        {
            return Marshal.GetLastPInvokeError();
        }

        return Fcntl(platform, fd, set, current | flag) < 0 ? Marshal.GetLastPInvokeError() : 0;
    }

    /// <summary>TIOCSWINSZ on a terminal.</summary>
    /// <returns>0 or the errno.</returns>
    internal static unsafe int SetWindowSize(UnixPlatform platform, SafeHandle fd, int columns, int rows)
    {
        var size = new Interop.Libc.WinSize { Columns = checked((ushort)columns), Rows = checked((ushort)rows) };
        var result = platform.IsAppleArm64
            ? Interop.Libc.IoctlAppleArm64(fd, platform.TiocSWinSz, 0, 0, 0, 0, 0, 0, &size)
            : Interop.Libc.Ioctl(fd, platform.TiocSWinSz, &size);
        return result < 0 ? Marshal.GetLastPInvokeError() : 0;
    }

    private static int Fcntl(UnixPlatform platform, SafeHandle fd, int command, int argument) =>
        platform.IsAppleArm64
            ? Interop.Libc.FcntlAppleArm64(fd, command, 0, 0, 0, 0, 0, 0, argument)
            : Interop.Libc.Fcntl(fd, command, argument);
}
