using System.Runtime.InteropServices;

namespace Tether.Platform;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>fchown(2): sets owner and group of an open file or folder.</summary>
        [LibraryImport("libc", EntryPoint = "fchown", SetLastError = true)]
        internal static partial int TreeFchown(SafeHandle fd, uint uid, uint gid);
    }
}
