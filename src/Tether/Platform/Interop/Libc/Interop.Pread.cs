using System.Runtime.InteropServices;

namespace Tether.Platform;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>
        /// pread(2). <c>off_t</c> is register-sized on the ABIs the agent reads /proc on (64-bit, and
        /// 32-bit ARM without <c>_FILE_OFFSET_BITS=64</c>, which the plain name binds); the offsets
        /// passed are those of small pseudo-files.
        /// </summary>
        [LibraryImport("libc", EntryPoint = "pread", SetLastError = true)]
        internal static unsafe partial nint Pread(SafeHandle fd, byte* buffer, nuint count, nint offset);
    }
}
