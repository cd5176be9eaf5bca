using System.Runtime.InteropServices;

namespace Tether.Platform;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>geteuid(2): the effective user id (0 = root, who can keep owners when copying).</summary>
        [LibraryImport("libc", EntryPoint = "geteuid")]
        internal static partial uint Geteuid();
    }
}
