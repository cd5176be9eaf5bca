using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace Tether.Platform;

internal static partial class Interop
{
    /// <summary>Mach host calls (macOS); they return a <c>kern_return_t</c> and leave errno alone.</summary>
    internal static partial class Mach
    {
        internal const string LibSystem = "/usr/lib/libSystem.dylib";

        /// <summary><c>KERN_SUCCESS</c>.</summary>
        internal const int KernSuccess = 0;

        /// <summary>
        /// mach_host_self(): the host name port. Each call adds a send right to this task, so
        /// callers take it once and keep it.
        /// </summary>
        [LibraryImport(LibSystem, EntryPoint = "mach_host_self")]
        [SupportedOSPlatform("macos")]
        internal static partial uint MachHostSelf();
    }
}
