using System.Runtime.InteropServices;

namespace Tether.Platform;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>posix_spawn_file_actions_addopen(3). Returns an error number.</summary>
        [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_addopen", SetLastError = true)]
        internal static unsafe partial int PosixSpawnFileActionsAddOpen(nint actions, int fd, byte* path, int flags, uint mode);
    }
}
