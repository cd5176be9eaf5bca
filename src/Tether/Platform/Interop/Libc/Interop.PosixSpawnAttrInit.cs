using System.Runtime.InteropServices;

namespace Tether.Platform;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>posix_spawnattr_init(3); <paramref name="attributes"/> is an opaque, zeroed native buffer larger than the platform's type.</summary>
        [LibraryImport("libc", EntryPoint = "posix_spawnattr_init", SetLastError = true)]
        internal static partial int PosixSpawnAttrInit(nint attributes);
    }
}
