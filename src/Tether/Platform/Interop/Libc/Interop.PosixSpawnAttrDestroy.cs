using System.Runtime.InteropServices;

namespace Tether.Platform;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>posix_spawnattr_destroy(3).</summary>
        [LibraryImport("libc", EntryPoint = "posix_spawnattr_destroy", SetLastError = true)]
        internal static partial int PosixSpawnAttrDestroy(nint attributes);
    }
}
