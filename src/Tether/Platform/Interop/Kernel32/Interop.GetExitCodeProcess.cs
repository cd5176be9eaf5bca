using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Tether.Platform;

internal static partial class Interop
{
    internal static partial class Kernel32
    {
        /// <summary>The exit code GetExitCodeProcess reports while the process is still running.</summary>
        internal const uint STILL_ACTIVE = 259;

        /// <summary>GetExitCodeProcess; meaningful once the process handle is signalled.</summary>
        [LibraryImport("kernel32.dll", SetLastError = true)]
        [return: MarshalAs(UnmanagedType.Bool)]
        internal static partial bool GetExitCodeProcess(SafeProcessHandle process, out uint exitCode);
    }
}
