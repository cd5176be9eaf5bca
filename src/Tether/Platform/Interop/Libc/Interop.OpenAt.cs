using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace Tether.Platform;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>
        /// openat(2) with a mode: opens <paramref name="name"/> relative to the folder
        /// <paramref name="dirfd"/>. 32-bit glibc binds openat64 so files past 2 GiB open.
        /// openat is variadic; on x64 and Linux arm64 the mode travels like a fixed argument,
        /// Apple arm64 needs <see cref="OpenAtAppleArm64"/> (see <see cref="Ioctl"/>).
        /// </summary>
        internal static int OpenAt(SafeHandle dirfd, string name, int flags, uint mode) =>
            !Environment.Is64BitProcess && OperatingSystem.IsLinux() ? OpenAt64Native(dirfd, name, flags, mode) : OpenAtNative(dirfd, name, flags, mode);

        [LibraryImport("libc", EntryPoint = "openat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        private static partial int OpenAtNative(SafeHandle dirfd, string name, int flags, uint mode);

        [SupportedOSPlatform("linux")]
        [LibraryImport("libc", EntryPoint = "openat64", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        private static partial int OpenAt64Native(SafeHandle dirfd, string name, int flags, uint mode);

        /// <summary>openat for Apple arm64: padding fills x3–x7 so the variadic mode goes on the stack.</summary>
        [LibraryImport("libc", EntryPoint = "openat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int OpenAtAppleArm64(
            SafeHandle dirfd, string name, int flags, nint pad3, nint pad4, nint pad5, nint pad6, nint pad7, nint mode);
    }
}
