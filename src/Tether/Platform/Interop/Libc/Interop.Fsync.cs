using System.Runtime.InteropServices;

namespace Tether.Platform;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>fsync(2).</summary>
        [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
        internal static partial int Fsync(SafeHandle fd);
    }
}
