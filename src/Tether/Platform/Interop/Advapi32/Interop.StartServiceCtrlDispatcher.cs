using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace Tether.Platform;

internal static partial class Interop
{
    internal static partial class Advapi32
    {
        /// <summary>The process was not started by the Service Control Manager (e.g. run from a console).</summary>
        internal const int ERROR_FAILED_SERVICE_CONTROLLER_CONNECT = 1063;

        /// <summary>SERVICE_TABLE_ENTRYW: two pointers (16 bytes on 64-bit, 8 on 32-bit). A table ends with an all-null entry.</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal unsafe struct SERVICE_TABLE_ENTRYW
        {
            internal char* lpServiceName;
            internal delegate* unmanaged<uint, char**, void> lpServiceProc;
        }

        /// <summary>
        /// StartServiceCtrlDispatcherW: connects this thread to the SCM and blocks, running control
        /// handlers on it, until every service of the table has reported SERVICE_STOPPED. Each
        /// ServiceMain runs on a thread of its own.
        /// </summary>
        [LibraryImport("advapi32.dll", EntryPoint = "StartServiceCtrlDispatcherW", SetLastError = true)]
        [SupportedOSPlatform("windows")]
        [return: MarshalAs(UnmanagedType.Bool)]
        internal static unsafe partial bool StartServiceCtrlDispatcher(SERVICE_TABLE_ENTRYW* serviceStartTable);
    }
}
