using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace Tether.Platform;

internal static partial class Interop
{
    internal static partial class Kernel32
    {
        /// <summary>GetTickCount64: milliseconds since the system started, sleep and hibernation included (like /proc/uptime). Cannot fail.</summary>
        [LibraryImport("kernel32.dll", EntryPoint = "GetTickCount64", SetLastError = true)]
        [SupportedOSPlatform("windows")]
        internal static partial ulong GetTickCount64();
    }
}
