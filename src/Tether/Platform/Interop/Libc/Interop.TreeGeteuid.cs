using System.Runtime.InteropServices;

namespace Tether.Platform;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>geteuid(2): the effective user id, which owns what the process creates.</summary>
        [LibraryImport("libc", EntryPoint = "geteuid")]
        internal static partial uint TreeGeteuid();
    }
}
