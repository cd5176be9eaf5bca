using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Tether.Platform;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>ptsname_r(3): the slave's path, reentrant (glibc; macOS 10.13.4+). glibc returns an error number, macOS -1 with errno.</summary>
        [LibraryImport("libc", EntryPoint = "ptsname_r", SetLastError = true)]
        internal static unsafe partial int PtsnameR(SafeFileHandle master, byte* buffer, nuint length);
    }
}
