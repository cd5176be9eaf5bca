using System.Runtime.InteropServices;

namespace Tether.Platform;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>waitpid(2); blocks unless options say otherwise.</summary>
        [LibraryImport("libc", EntryPoint = "waitpid", SetLastError = true)]
        internal static unsafe partial int WaitPid(int pid, int* status, int options);
    }
}
