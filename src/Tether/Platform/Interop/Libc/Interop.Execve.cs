using System.Runtime.InteropServices;

namespace Tether.Platform;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>execve(2): returns only on failure (-1, errno set).</summary>
        [LibraryImport("libc", EntryPoint = "execve", SetLastError = true)]
        internal static unsafe partial int Execve(byte* path, byte** argv, byte** envp);
    }
}
