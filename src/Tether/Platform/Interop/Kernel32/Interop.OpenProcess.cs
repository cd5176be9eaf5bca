using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Tether.Platform;

internal static partial class Interop
{
    internal static partial class Kernel32
    {
        /// <summary>Enough to read a process's image name; granted even for protected processes.</summary>
        internal const uint PROCESS_QUERY_LIMITED_INFORMATION = 0x1000;

        /// <summary>OpenProcess; an invalid handle (check IsInvalid) when it fails.</summary>
        [LibraryImport("kernel32.dll", SetLastError = true)]
        internal static partial SafeProcessHandle OpenProcess(uint desiredAccess, [MarshalAs(UnmanagedType.Bool)] bool inheritHandle, uint processId);
    }
}
