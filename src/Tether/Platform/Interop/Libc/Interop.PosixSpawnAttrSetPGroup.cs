using System.Runtime.InteropServices;

namespace Tether.Platform;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>posix_spawnattr_setpgroup(3); 0 makes the child the leader of a new group. Returns an error number.</summary>
        [LibraryImport("libc", EntryPoint = "posix_spawnattr_setpgroup", SetLastError = true)]
        internal static partial int PosixSpawnAttrSetPGroup(nint attributes, int processGroup);
    }
}
