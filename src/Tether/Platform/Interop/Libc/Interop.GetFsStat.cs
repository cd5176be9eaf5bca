using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace Tether.Platform;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>getfsstat(2) flag: return what the kernel has cached, never block on a hung network mount.</summary>
        internal const int MntNoWait = 2;

        /// <summary>statfs flag: the file system is served locally.</summary>
        internal const uint MntLocal = 0x00001000;

        /// <summary>statfs flag: hidden from the user (the macOS system volumes under /System/Volumes).</summary>
        internal const uint MntDontBrowse = 0x00100000;

        /// <summary>
        /// getfsstat(2) into an array of <see cref="MacStatfs"/>; <paramref name="buf"/> null returns
        /// the count. x86_64 binds <c>getfsstat$INODE64</c> for the 64-bit-inode struct (see <see cref="StatfsMac"/>).
        /// </summary>
        [SupportedOSPlatform("macos")]
        internal static unsafe int GetFsStat(MacStatfs* buf, int bufSize, int flags) =>
            RuntimeInformation.ProcessArchitecture == Architecture.X64 ? GetFsStatInode64Native(buf, bufSize, flags) : GetFsStatNative(buf, bufSize, flags);

        [LibraryImport("libc", EntryPoint = "getfsstat", SetLastError = true)]
        private static unsafe partial int GetFsStatNative(MacStatfs* buf, int bufSize, int flags);

        [LibraryImport("libc", EntryPoint = "getfsstat$INODE64", SetLastError = true)]
        private static unsafe partial int GetFsStatInode64Native(MacStatfs* buf, int bufSize, int flags);
    }
}
