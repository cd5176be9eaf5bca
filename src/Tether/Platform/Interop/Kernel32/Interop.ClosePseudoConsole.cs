using System.Runtime.InteropServices;

namespace Tether.Platform;

internal static partial class Interop
{
    internal static partial class Kernel32
    {
        /// <summary>
        /// ClosePseudoConsole. Before Windows 11 24H2 it waits until the console host has written
        /// its final frame, so it must never run on the thread that drains the output pipe
        /// (docs/field-notes.md); only <see cref="Pty.SafePseudoConsoleHandle"/> calls it.
        /// </summary>
        [LibraryImport("kernel32.dll", SetLastError = true)]
        internal static partial void ClosePseudoConsole(nint pseudoConsole);
    }
}
