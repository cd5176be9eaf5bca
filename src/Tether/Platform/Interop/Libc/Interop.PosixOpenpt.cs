using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Tether.Platform;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>posix_openpt(3): opens a new pseudo-terminal master.</summary>
        [LibraryImport("libc", EntryPoint = "posix_openpt", SetLastError = true)]
        internal static partial SafeFileHandle PosixOpenpt(int flags);
    }
}
