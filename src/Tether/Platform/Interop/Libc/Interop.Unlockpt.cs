using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Tether.Platform;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>unlockpt(3): allows the slave to be opened.</summary>
        [LibraryImport("libc", EntryPoint = "unlockpt", SetLastError = true)]
        internal static partial int Unlockpt(SafeFileHandle master);
    }
}
