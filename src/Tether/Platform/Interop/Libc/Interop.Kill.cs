using System.Runtime.InteropServices;

namespace Tether.Platform;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>kill(2). Callers never pass a pid or process group &lt;= 0 (see UnixPtySession.SignalGroup).</summary>
        [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
        internal static partial int Kill(int pid, int signal);
    }
}
