using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace Tether.Platform;

internal static partial class Interop
{
    internal static partial class Mach
    {
        /// <summary><c>HOST_CPU_LOAD_INFO</c> (mach/host_info.h).</summary>
        internal const int HostCpuLoadInfoFlavor = 3;

        /// <summary>
        /// <c>host_cpu_load_info</c>: ticks summed over all CPUs, indexed by CPU_STATE_USER (0),
        /// _SYSTEM (1), _IDLE (2), _NICE (3). <c>natural_t</c> is 32-bit on every Mach ABI, so
        /// the counters wrap (see MacCpuTicks).
        /// </summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct HostCpuLoadInfo
        {
            internal uint User;
            internal uint System;
            internal uint Idle;
            internal uint Nice;
        }

        /// <summary>host_statistics(3): <paramref name="count"/> is in <c>integer_t</c> units, in and out.</summary>
        [LibraryImport(LibSystem, EntryPoint = "host_statistics")]
        [SupportedOSPlatform("macos")]
        internal static unsafe partial int HostStatistics(uint host, int flavor, void* info, uint* count);
    }
}
