using System.Runtime.InteropServices;

namespace Tether.Platform;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>futimens(3); <paramref name="times"/> points at two timespecs (atime, mtime).</summary>
        [LibraryImport("libc", EntryPoint = "futimens", SetLastError = true)]
        internal static unsafe partial int Futimens(SafeHandle fd, Timespec* times);
    }
}
