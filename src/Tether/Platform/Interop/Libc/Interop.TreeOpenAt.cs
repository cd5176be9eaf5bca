using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace Tether.Platform;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>
        /// openat(2) with a mode, for <c>FileSystem/LinuxOwnedTree</c>: opens <paramref name="name"/>
        /// relative to the folder <paramref name="dirfd"/>. Linux only (on x64 and arm64 the variadic
        /// mode travels like a fixed argument; 32-bit glibc binds openat64).
        /// </summary>
        [SupportedOSPlatform("linux")]
        internal static int TreeOpenAt(SafeHandle dirfd, string name, int flags, uint mode) =>
            Environment.Is64BitProcess ? TreeOpenAtNative(dirfd, name, flags, mode) : TreeOpenAt64Native(dirfd, name, flags, mode);

        [LibraryImport("libc", EntryPoint = "openat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        private static partial int TreeOpenAtNative(SafeHandle dirfd, string name, int flags, uint mode);

        [LibraryImport("libc", EntryPoint = "openat64", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        private static partial int TreeOpenAt64Native(SafeHandle dirfd, string name, int flags, uint mode);
    }
}
