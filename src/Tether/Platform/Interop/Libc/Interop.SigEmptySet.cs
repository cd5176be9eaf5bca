using System.Runtime.InteropServices;

namespace Tether.Platform;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>sigemptyset(3); <paramref name="set"/> is a zeroed native buffer at least as large as sigset_t.</summary>
        [LibraryImport("libc", EntryPoint = "sigemptyset", SetLastError = true)]
        internal static partial int SigEmptySet(nint set);
    }
}
