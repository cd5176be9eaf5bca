using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Tether.Platform;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>grantpt(3): sets owner and mode of the slave (a no-op on Linux devpts).</summary>
        [LibraryImport("libc", EntryPoint = "grantpt", SetLastError = true)]
        internal static partial int Grantpt(SafeFileHandle master);
    }
}
