using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace Tether.Platform;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>MADV_PAGEOUT (Linux 5.4+): reclaim these pages now; clean file pages are simply dropped.</summary>
        internal const int MadvPageOutLinux = 21;

        /// <summary>madvise(2).</summary>
        [SupportedOSPlatform("linux")]
        [LibraryImport("libc", EntryPoint = "madvise", SetLastError = true)]
        internal static partial int Madvise(nint address, nuint length, int advice);
    }
}
