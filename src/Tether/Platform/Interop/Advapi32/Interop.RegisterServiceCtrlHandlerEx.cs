using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace Tether.Platform;

internal static partial class Interop
{
    internal static partial class Advapi32
    {
        internal const uint SERVICE_CONTROL_STOP = 0x1;
        internal const uint SERVICE_CONTROL_INTERROGATE = 0x4;
        internal const uint SERVICE_CONTROL_SHUTDOWN = 0x5;

        internal const uint NO_ERROR = 0;
        internal const uint ERROR_CALL_NOT_IMPLEMENTED = 120;

        /// <summary>
        /// RegisterServiceCtrlHandlerExW. The handler is a static <c>[UnmanagedCallersOnly]</c>
        /// method (no delegate to keep alive); it runs on the thread that called
        /// StartServiceCtrlDispatcherW and must return within 30 s. Returns 0 on failure.
        /// </summary>
        [LibraryImport("advapi32.dll", EntryPoint = "RegisterServiceCtrlHandlerExW", SetLastError = true, StringMarshalling = StringMarshalling.Utf16)]
        [SupportedOSPlatform("windows")]
        internal static unsafe partial nint RegisterServiceCtrlHandlerEx(
            string serviceName,
            delegate* unmanaged<uint, uint, void*, void*, uint> handler,
            void* context);
    }
}
