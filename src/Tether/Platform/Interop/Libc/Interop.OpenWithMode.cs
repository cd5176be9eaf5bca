using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace Tether.Platform;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>Linux open(2) flags for the backup copier, the same on every Linux ABI (O_NOFOLLOW, which is not, is in <c>UnixPlatform</c>).</summary>
        internal const int OWrOnly = 1;
        internal const int OCreat = 0x40;
        internal const int OTrunc = 0x200;
        internal const int OCloExecLinux = 0x80000;

        /// <summary>
        /// open(2) with a mode, without the managed FileStream extras (fstat, advisory lock): the
        /// backup opens two files per copied file. 32-bit glibc binds open64 so files past 2 GiB open.
        /// Linux only: the flags above are Linux values, and macOS declares open variadic, which
        /// Apple arm64 passes on the stack (see <see cref="Ioctl"/>).
        /// </summary>
        [SupportedOSPlatform("linux")]
        internal static int OpenWithMode(string path, int flags, uint mode) =>
            Environment.Is64BitProcess ? OpenWithModeNative(path, flags, mode) : OpenWithMode64Native(path, flags, mode);

        [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        private static partial int OpenWithModeNative(string path, int flags, uint mode);

        [LibraryImport("libc", EntryPoint = "open64", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        private static partial int OpenWithMode64Native(string path, int flags, uint mode);
    }
}
