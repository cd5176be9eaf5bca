using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace Tether.Platform;

internal static partial class Interop
{
    internal static partial class Mach
    {
        /// <summary>
        /// host_page_size(3): libsyscall answers <c>vm_kernel_page_size</c>, the unit of
        /// <see cref="VmStatistics64"/> (16 KiB on Apple silicon, also for an x64 process under
        /// Rosetta, where <c>hw.pagesize</c> says 4 KiB).
        /// </summary>
        [LibraryImport(LibSystem, EntryPoint = "host_page_size")]
        [SupportedOSPlatform("macos")]
        internal static unsafe partial int HostPageSize(uint host, nuint* pageSize);
    }
}
