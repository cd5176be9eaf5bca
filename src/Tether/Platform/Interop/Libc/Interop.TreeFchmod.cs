using System.Runtime.InteropServices;

namespace Tether.Platform;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>fchmod(2): sets the permission bits of an open file or folder.</summary>
        [LibraryImport("libc", EntryPoint = "fchmod", SetLastError = true)]
        internal static partial int TreeFchmod(SafeHandle fd, uint mode);
    }
}
