using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Microsoft.Win32.SafeHandles;
using Tether.Platform.Common;

namespace Tether.Platform.FileSystem;

/// <summary>Directory durability on Unix: after a rename, fsync the directory so the new entry survives a crash.</summary>
[SupportedOSPlatform("linux")]
[SupportedOSPlatform("macos")]
internal static class UnixDirectory
{
    /// <summary>fsyncs <paramref name="directory"/>; throws <see cref="IOException"/> on failure.</summary>
    internal static void Sync(string directory)
    {
        // O_RDONLY is 0 on Linux and macOS; O_CLOEXEC keeps the fd out of concurrent children.
        var fd = Interop.Libc.Open(directory, UnixPlatform.Current.OCloExec);
        if (fd < 0)
        {
            throw new IOException($"cannot open directory '{directory}' to sync it: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }

        using var handle = new SafeFileHandle(fd, ownsHandle: true);
        if (Interop.Libc.Fsync(handle) != 0)
        {
            throw new IOException($"cannot sync directory '{directory}': {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }
    }
}
