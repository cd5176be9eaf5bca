using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace Tether.Platform;

internal static partial class Interop
{
    internal static partial class Mach
    {
        /// <summary><c>HOST_VM_INFO64</c> (mach/host_info.h).</summary>
        internal const int HostVmInfo64Flavor = 4;

        /// <summary>
        /// <c>struct vm_statistics64</c> (mach/vm_statistics.h, 152 bytes, 8-aligned): page
        /// counts in units of <c>vm_kernel_page_size</c>. Fields we never read are kept so the
        /// offsets stay those of the header.
        /// </summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct VmStatistics64
        {
            internal uint FreeCount;
            internal uint ActiveCount;
            internal uint InactiveCount;
            internal uint WireCount;
            internal ulong ZeroFillCount;
            internal ulong Reactivations;
            internal ulong Pageins;
            internal ulong Pageouts;
            internal ulong Faults;
            internal ulong CowFaults;
            internal ulong Lookups;
            internal ulong Hits;
            internal ulong Purges;
            internal uint PurgeableCount;
            internal uint SpeculativeCount;
            internal ulong Decompressions;
            internal ulong Compressions;
            internal ulong Swapins;
            internal ulong Swapouts;
            internal uint CompressorPageCount;
            internal uint ThrottledCount;
            internal uint ExternalPageCount;
            internal uint InternalPageCount;
            internal ulong TotalUncompressedPagesInCompressor;
        }

        /// <summary>host_statistics64(3): <paramref name="count"/> is in <c>integer_t</c> units, in and out.</summary>
        [LibraryImport(LibSystem, EntryPoint = "host_statistics64")]
        [SupportedOSPlatform("macos")]
        internal static unsafe partial int HostStatistics64(uint host, int flavor, void* info, uint* count);
    }
}
