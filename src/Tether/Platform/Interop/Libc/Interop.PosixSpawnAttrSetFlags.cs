using System.Runtime.InteropServices;

namespace Tether.Platform;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>posix_spawnattr_setflags(3); the C parameter is a short.</summary>
        [LibraryImport("libc", EntryPoint = "posix_spawnattr_setflags", SetLastError = true)]
        internal static partial int PosixSpawnAttrSetFlags(nint attributes, short flags);
    }
}
