using System.Runtime.InteropServices;

namespace Tether.Platform;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>write(2).</summary>
        [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
        internal static unsafe partial nint Write(SafeHandle fd, byte* buffer, nuint count);
    }
}
