using System.Runtime.InteropServices;

namespace Tether.Platform;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>posix_spawn_file_actions_addchdir_np (glibc 2.29+, macOS 10.15+). Returns an error number.</summary>
        [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_addchdir_np", SetLastError = true)]
        internal static unsafe partial int PosixSpawnFileActionsAddChdirNp(nint actions, byte* path);
    }
}
