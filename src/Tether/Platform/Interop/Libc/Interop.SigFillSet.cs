using System.Runtime.InteropServices;

namespace Tether.Platform;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>sigfillset(3); <paramref name="set"/> is a zeroed native buffer at least as large as sigset_t.</summary>
        [LibraryImport("libc", EntryPoint = "sigfillset", SetLastError = true)]
        internal static partial int SigFillSet(nint set);
    }
}
