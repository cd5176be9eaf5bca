using System.Runtime.InteropServices;

namespace Tether.Platform;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>getloadavg(3): fills up to <paramref name="count"/> averages; returns how many, or -1.</summary>
        [LibraryImport("libc", EntryPoint = "getloadavg", SetLastError = true)]
        internal static unsafe partial int GetLoadAvg(double* averages, int count);
    }
}
