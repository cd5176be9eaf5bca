using System.Runtime.InteropServices;

namespace Tether.Platform;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>posix_spawn(3). Returns an error number (0 on success); with glibc it also reports a failed exec.</summary>
        [LibraryImport("libc", EntryPoint = "posix_spawn", SetLastError = true)]
        internal static unsafe partial int PosixSpawn(int* pid, byte* path, nint fileActions, nint attributes, byte** argv, byte** envp);
    }
}
