using System.Runtime.InteropServices;

namespace Tether.Platform;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>posix_spawn_file_actions_init(3); <paramref name="actions"/> is an opaque, zeroed native buffer larger than the platform's type.</summary>
        [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_init", SetLastError = true)]
        internal static partial int PosixSpawnFileActionsInit(nint actions);
    }
}
