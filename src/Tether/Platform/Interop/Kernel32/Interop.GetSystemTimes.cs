using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace Tether.Platform;

internal static partial class Interop
{
    internal static partial class Kernel32
    {
        /// <summary>FILETIME: a 64-bit count of 100 ns units split into two DWORDs (8 bytes, 4-byte aligned).</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct FILETIME
        {
            internal uint dwLowDateTime;
            internal uint dwHighDateTime;
        }

        /// <summary>
        /// GetSystemTimes: idle, kernel and user time summed over all processors, in 100 ns units.
        /// Kernel time includes idle time. With more than 64 logical processors the sums cover only
        /// the processor group of the calling thread (documented limit), so the CPU share is that group's.
        /// </summary>
        [LibraryImport("kernel32.dll", EntryPoint = "GetSystemTimes", SetLastError = true)]
        [SupportedOSPlatform("windows")]
        [return: MarshalAs(UnmanagedType.Bool)]
        internal static partial bool GetSystemTimes(out FILETIME idleTime, out FILETIME kernelTime, out FILETIME userTime);
    }
}
