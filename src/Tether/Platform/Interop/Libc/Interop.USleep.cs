using System.Runtime.InteropServices;

namespace Tether.Platform;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>usleep(3): sleeps the calling thread for a number of microseconds (below one second); Linux and macOS.</summary>
        [LibraryImport("libc", EntryPoint = "usleep", SetLastError = true)]
        internal static partial int USleep(uint microseconds);
    }
}
