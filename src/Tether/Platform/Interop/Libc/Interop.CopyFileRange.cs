using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace Tether.Platform;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>
        /// copy_file_range(2) (Linux 4.5+, glibc 2.27+) using and advancing both file offsets
        /// (null offset pointers); the kernel may reflink or copy in-kernel.
        /// </summary>
        [SupportedOSPlatform("linux")]
        [LibraryImport("libc", EntryPoint = "copy_file_range", SetLastError = true)]
        internal static partial nint CopyFileRange(SafeHandle fdIn, nint offIn, SafeHandle fdOut, nint offOut, nuint len, uint flags);
    }
}
