using System.Runtime.InteropServices;

namespace Tether.Platform;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>posix_spawn_file_actions_destroy(3).</summary>
        [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_destroy", SetLastError = true)]
        internal static partial int PosixSpawnFileActionsDestroy(nint actions);
    }
}
