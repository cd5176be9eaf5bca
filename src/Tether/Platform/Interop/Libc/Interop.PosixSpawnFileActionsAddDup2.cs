using System.Runtime.InteropServices;

namespace Tether.Platform;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>posix_spawn_file_actions_adddup2(3). Returns an error number.</summary>
        [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_adddup2", SetLastError = true)]
        internal static partial int PosixSpawnFileActionsAddDup2(nint actions, int fd, int newFd);
    }
}
