using System.Runtime.InteropServices;

namespace Tether.Platform;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>posix_spawnattr_setsigdefault(3).</summary>
        [LibraryImport("libc", EntryPoint = "posix_spawnattr_setsigdefault", SetLastError = true)]
        internal static partial int PosixSpawnAttrSetSigDefault(nint attributes, nint signals);
    }
}
