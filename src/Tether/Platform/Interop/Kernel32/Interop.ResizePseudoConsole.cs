using System.Runtime.InteropServices;
using Tether.Platform.Pty;

namespace Tether.Platform;

internal static partial class Interop
{
    internal static partial class Kernel32
    {
        /// <summary>ResizePseudoConsole; returns an HRESULT.</summary>
        [LibraryImport("kernel32.dll", SetLastError = true)]
        internal static partial int ResizePseudoConsole(SafePseudoConsoleHandle pseudoConsole, Coord size);
    }
}
