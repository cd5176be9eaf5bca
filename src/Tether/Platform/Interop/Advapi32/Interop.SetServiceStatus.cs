using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace Tether.Platform;

internal static partial class Interop
{
    internal static partial class Advapi32
    {
        internal const uint SERVICE_WIN32_OWN_PROCESS = 0x10;

        internal const uint SERVICE_STOPPED = 1;
        internal const uint SERVICE_START_PENDING = 2;
        internal const uint SERVICE_STOP_PENDING = 3;
        internal const uint SERVICE_RUNNING = 4;

        internal const uint SERVICE_ACCEPT_STOP = 0x1;
        internal const uint SERVICE_ACCEPT_SHUTDOWN = 0x4;

        /// <summary>dwWin32ExitCode that says "see dwServiceSpecificExitCode".</summary>
        internal const uint ERROR_SERVICE_SPECIFIC_ERROR = 1066;

        /// <summary>SERVICE_STATUS (winsvc.h): seven DWORDs, 28 bytes.</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct SERVICE_STATUS
        {
            internal uint dwServiceType;
            internal uint dwCurrentState;
            internal uint dwControlsAccepted;
            internal uint dwWin32ExitCode;
            internal uint dwServiceSpecificExitCode;
            internal uint dwCheckPoint;
            internal uint dwWaitHint;
        }

        /// <summary>
        /// SetServiceStatus. <paramref name="serviceStatusHandle"/> comes from
        /// RegisterServiceCtrlHandlerExW and is never closed (the SCM owns it), hence a plain
        /// <see cref="nint"/> rather than a SafeHandle.
        /// </summary>
        [LibraryImport("advapi32.dll", EntryPoint = "SetServiceStatus", SetLastError = true)]
        [SupportedOSPlatform("windows")]
        [return: MarshalAs(UnmanagedType.Bool)]
        internal static partial bool SetServiceStatus(nint serviceStatusHandle, in SERVICE_STATUS serviceStatus);
    }
}
