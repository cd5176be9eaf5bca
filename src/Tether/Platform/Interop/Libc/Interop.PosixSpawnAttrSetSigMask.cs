using System.Runtime.InteropServices;

namespace Tether.Platform;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>posix_spawnattr_setsigmask(3).</summary>
        [LibraryImport("libc", EntryPoint = "posix_spawnattr_setsigmask", SetLastError = true)]
        internal static partial int PosixSpawnAttrSetSigMask(nint attributes, nint signals);
    }
}
