using System.Runtime.InteropServices;

namespace Tether.Platform;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>getegid(2): the effective group id.</summary>
        [LibraryImport("libc", EntryPoint = "getegid")]
        internal static partial uint Getegid();
    }
}
